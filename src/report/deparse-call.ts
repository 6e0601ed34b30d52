/**
 * R's `deparse()` of a call with its line breaking (width.cutoff = 60, deparse.c): after each
 * ", " between arguments and after the " op " of a spaced binary operator (`~ + - * | ||`), the
 * line is ended when it is already longer than the cutoff; the first break inside an argument
 * list or operator indents the continuation lines by 4 spaces (2 past the fourth level). This is
 * how `print(summary(glm))` shows its `Call:`.
 */
import type { Node } from "../formula/ast.ts";
import { quoteName } from "../formula/deparse.ts";

/** What can be deparsed: a formula syntax node, a literal text, or a call with (named) arguments. */
export type CallPart =
  | { readonly kind: "node"; readonly node: Node }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly CallArg[] };

export interface CallArg {
  readonly name?: string;
  readonly value: CallPart;
}

const SPACED = new Set(["~", "+", "-", "*", "|", "||", "%in%"]);

class Writer {
  readonly lines: string[] = [];
  private cur = "";
  private len = 0;
  private indent = 0;
  private startline = true;
  constructor(private readonly cutoff: number) {}

  print(s: string): void {
    if (this.startline) {
      this.startline = false;
      for (let i = 1; i <= this.indent; i++) this.print(i <= 4 ? "    " : "  ");
    }
    this.cur += s;
    this.len += s.length;
  }

  writeline(): void {
    this.lines.push(this.cur);
    this.cur = "";
    this.len = 0;
    this.startline = true;
  }

  /** R's linebreak(): returns the updated "already indented" flag. */
  linebreak(lbreak: boolean): boolean {
    if (this.len > this.cutoff) {
      if (!lbreak) {
        lbreak = true;
        this.indent++;
      }
      this.writeline();
    }
    return lbreak;
  }

  dedent(): void {
    this.indent--;
  }

  finish(): string[] {
    if (this.cur.length > 0 || !this.startline) this.writeline();
    return this.lines;
  }
}

function args(w: Writer, list: readonly CallArg[]): void {
  let lbreak = false;
  list.forEach((a, i) => {
    if (a.name !== undefined) w.print(`${a.name} = `);
    part(w, a.value);
    if (i < list.length - 1) {
      w.print(", ");
      lbreak = w.linebreak(lbreak);
    }
  });
  if (lbreak) w.dedent();
}

function node(w: Writer, n: Node): void {
  switch (n.kind) {
    case "name":
      w.print(quoteName(n.name));
      return;
    case "number":
      w.print(n.text);
      return;
    case "call":
      w.print(`${n.fn}(`);
      args(
        w,
        n.args.map((x) => ({ value: { kind: "node", node: x } })),
      );
      w.print(")");
      return;
    case "paren":
      w.print("(");
      node(w, n.inner);
      w.print(")");
      return;
    case "unary":
      w.print(n.op);
      node(w, n.arg);
      return;
    case "binary":
      node(w, n.left);
      if (SPACED.has(n.op)) {
        w.print(` ${n.op} `);
        const lb = w.linebreak(false);
        node(w, n.right);
        if (lb) w.dedent();
      } else {
        w.print(n.op);
        node(w, n.right);
      }
      return;
  }
}

function part(w: Writer, p: CallPart): void {
  if (p.kind === "text") w.print(p.text);
  else if (p.kind === "node") node(w, p.node);
  else {
    w.print(`${p.fn}(`);
    args(w, p.args);
    w.print(")");
  }
}

/** The lines R's `deparse(call)` gives (default width.cutoff 60). */
export function deparseCall(call: CallPart, cutoff = 60): string[] {
  const w = new Writer(cutoff);
  part(w, call);
  return w.finish();
}
