import { createRequire } from 'node:module';
import { type ICruiseOptions, type ICruiseResult, type IForbiddenRuleType, cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

// The rule set `npm test` enforces; its comments say why each rule exists.
const ruleSet = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as {
  forbidden: IForbiddenRuleType[];
  options: ICruiseOptions;
};

let result: ICruiseResult | undefined;
async function cruised(): Promise<ICruiseResult> {
  if (!result) {
    const reporting = await cruise(['src'], {
      ...ruleSet.options,
      validate: true,
      ruleSet: { forbidden: ruleSet.forbidden },
    });
    result = reporting.output as ICruiseResult;
  }
  return result;
}

/** Strongly connected groups of more than one node: each is a cycle. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      for (let member = stack.pop()!; ; member = stack.pop()!) {
        onStack.delete(member);
        group.push(member);
        if (member === node) break;
      }
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('#7 the shape of the code', () => {
  it('breaks none of the rules in .dependency-cruiser.cjs (file cycles, platform → features, services → views, CLI → HTTP app)', async () => {
    const violations = (await cruised()).summary.violations.map(
      (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
    );
    expect(violations).toEqual([]);
  });

  it('has no cycles between feature folders', async () => {
    const feature = (path: string) => /^src\/features\/([^/]+)\//.exec(path)?.[1];
    const edges = new Map<string, Set<string>>();
    for (const module of (await cruised()).modules) {
      const from = feature(module.source);
      if (!from || /\.test\.tsx?$/.test(module.source)) continue;
      for (const dependency of module.dependencies) {
        const to = feature(dependency.resolved);
        if (!to || to === from) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
      }
    }
    expect(cycles(edges)).toEqual([]);
  });
});
