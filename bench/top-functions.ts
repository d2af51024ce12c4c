/**
 * @module bench/top-functions
 * Reads a V8 .cpuprofile (as written by `node --cpu-prof`, or `npm run bench -- --cpu-prof`) in a
 * terminal: the functions, files or packages where the process spent its own (self) time, with
 * their inclusive (total) time next to them. Chrome DevTools (Performance panel, "Load profile")
 * shows the same data as a flame chart; this is for quick reads and for pasting into an issue.
 *
 *   node dist/bench/top-functions.js bench/results/profiles/accept.cpuprofile [--top=25] [--by=function|file|package|src]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { paths } from './lib/paths.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * function/file/package: where the CPU was when sampled. `src`: the nearest function of our own
 * code (dist/src) on the stack, so library and native time is charged to the line of ours that
 * asked for it ("which of our functions costs the most, all in").
 */
type Grouping = 'function' | 'file' | 'package' | 'src';
const GROUPINGS: readonly string[] = ['function', 'file', 'package', 'src'];

/** Where a frame's code lives, short: a repository path, `pkg` for node_modules, `node:…`, or `(native)`. */
function location(url: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm !== -1) return `node_modules/${path.slice(nm + 14)}`;
  return relative(paths.root, path);
}

function packageOf(frame: CallFrame): string {
  const where = location(frame.url);
  if (where === '(native)') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (where.startsWith('node:')) return 'node: core';
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (m) return m[1] ?? where;
  const src = /^dist\/(src|bench|test)\/([^/]+)/.exec(where);
  return src ? `${src[1]}/${src[2]}` : where;
}

function keyOf(frame: CallFrame, by: Grouping): string {
  if (by === 'package') return packageOf(frame);
  if (by === 'src') return keyOf(frame, 'function');
  const where = location(frame.url);
  if (by === 'file') return where === '(native)' ? frame.functionName : where;
  const name = frame.functionName || '(anonymous)';
  return where === '(native)' ? name : `${name}  ${where}:${frame.lineNumber + 1}`;
}

function topFunctions(profile: CpuProfile, by: Grouping): { key: string; self: number; total: number }[] {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // A sample lasts until the next one; the last gets the mean interval.
    const us = timeDeltas[i + 1] ?? (profile.endTime - profile.startTime) / Math.max(1, samples.length);
    let id: number | undefined = samples[i];
    const leaf = id === undefined ? undefined : byId.get(id);
    if (!leaf) continue;
    const leafKey = by === 'src' ? ownCaller(leaf, byId, parent) : keyOf(leaf.callFrame, by);
    self.set(leafKey, (self.get(leafKey) ?? 0) + us);
    const seen = new Set<string>(); // recursion must not count twice
    while (id !== undefined) {
      const node = byId.get(id);
      if (!node || node.callFrame.functionName === '(root)') break;
      const key = keyOf(node.callFrame, by);
      if (!seen.has(key)) {
        seen.add(key);
        total.set(key, (total.get(key) ?? 0) + us);
      }
      id = parent.get(id);
    }
  }
  return [...self.entries()]
    .map(([key, us]) => ({ key, self: us / 1000, total: (total.get(key) ?? us) / 1000 }))
    .sort((a, b) => b.self - a.self);
}

const isOwn = (frame: CallFrame): boolean => location(frame.url).startsWith('dist/src/');

/** The nearest frame of our own code above (or at) `leaf`; else the leaf's package, in parentheses. */
function ownCaller(leaf: ProfileNode, byId: Map<number, ProfileNode>, parent: Map<number, number>): string {
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const node = byId.get(id);
    if (node && isOwn(node.callFrame)) return keyOf(node.callFrame, 'function');
  }
  const pkg = packageOf(leaf.callFrame);
  return pkg.startsWith('(') ? pkg : `(${pkg}, not called from src)`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'function' } },
  });
  const by = values.by as Grouping;
  if (positionals.length === 0 || !GROUPINGS.includes(by)) {
    process.stderr.write(
      `usage: node dist/bench/top-functions.js FILE.cpuprofile [--top=25] [--by=${GROUPINGS.join('|')}]\n`,
    );
    process.exit(2);
  }
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const rows = topFunctions(profile, by);
    const all = rows.reduce((s, r) => s + r.self, 0);
    const busy = rows.filter((r) => r.key !== '(idle)').reduce((s, r) => s + r.self, 0);
    const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1)}%`.padStart(6);
    process.stdout.write(
      `${file}: ${(all / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (percentages are of busy time)\n` +
        `${'self ms'.padStart(9)}  ${'self'.padStart(6)}  ${'total'.padStart(6)}  ${by}\n`,
    );
    for (const r of rows.filter((x) => x.key !== '(idle)').slice(0, Number(values.top))) {
      process.stdout.write(
        `${Math.round(r.self).toLocaleString('en-US').padStart(9)}  ${pct(r.self)}  ${pct(r.total)}  ${r.key}\n`,
      );
    }
  }
}

main();
