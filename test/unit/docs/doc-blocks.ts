/**
 * The ```ts blocks of docs/api.md, and the package entries they import from. Shared by the docs
 * test (runs every block against the sources) and the packed-package test (type-checks every block
 * against the installed package).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..", "..");
export const API_DOC = join(REPO, "docs", "api.md");

/** Package specifier → source file of that entry (as package.json's "exports" maps them). */
export const ENTRIES: Readonly<Record<string, string>> = {
  mixedmodels: join(REPO, "src", "index.ts"),
  "mixedmodels/engine": join(REPO, "src", "engine.ts"),
  "mixedmodels/node": join(REPO, "src", "node", "index.ts"),
  "mixedmodels/plot": join(REPO, "src", "plot", "index.ts"),
  "mixedmodels/report": join(REPO, "src", "html", "index.ts"),
};

export interface DocBlock {
  /** 1-based line of the opening fence in docs/api.md. */
  readonly line: number;
  /** The nearest heading above the block. */
  readonly heading: string;
  readonly code: string;
}

export function docBlocks(text = readFileSync(API_DOC, "utf8")): DocBlock[] {
  const lines = text.split("\n");
  const out: DocBlock[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^#{1,6} /.test(l)) heading = l.replace(/^#+ /, "");
    if (l.trim() !== "```ts") continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== "```"; i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`docs/api.md:${start + 1}: unterminated code block`);
    out.push({ line: start + 1, heading, code: `${body.join("\n")}\n` });
  }
  return out;
}

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*"([^"]+)";?/g;

/** Names a block imports from each package entry (`type` imports left out). */
export function importedNames(code: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of code.matchAll(IMPORT)) {
    if (!(m[2] in ENTRIES)) continue;
    const names = m[1]
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "" && !s.startsWith("type "))
      .map((s) => s.split(/\s+as\s+/)[0]);
    out.set(m[2], [...(out.get(m[2]) ?? []), ...names]);
  }
  return out;
}

/** The block without its import statements (where the imported names must be used). */
export function bodyOf(code: string): string {
  return code.replace(IMPORT, "");
}
