/**
 * What the bench ran on: CPU model (from /proc/cpuinfo), cores, memory, Node and OS, and the
 * 1-minute load average (read at start and end: the machine is shared with other jobs).
 */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly mem_GB: number;
  readonly node: string;
  readonly os: string;
}

function cpuModel(): string {
  try {
    const m = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    // not Linux: fall through to os.cpus()
  }
  return cpus()[0]?.model ?? "unknown";
}

function osName(): string {
  try {
    const m = readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]+)"?$/m);
    if (m) return m[1];
  } catch {
    // fall through
  }
  return `${process.platform} ${release()}`;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: availableParallelism(),
    mem_GB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: osName(),
  };
}

/** 1-minute load average. */
export function loadAverage1(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}
