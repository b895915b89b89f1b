import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { publicDir } from '../src/platform/paths.js';

const stylesheets = fs.readdirSync(publicDir).filter((name) => name.endsWith('.css'));

/**
 * A merge once left a rule of app.css unclosed: browsers then read every rule after it as nested
 * in it, and the console's audit and statistics pages lost their layout without any test noticing.
 */
describe('#12 the stylesheets we serve parse whole', () => {
  it('there is at least app.css', () => {
    expect(stylesheets).toContain('app.css');
  });

  it.each(stylesheets)('%s: every block closed, no rule nested in another', (name) => {
    const root = postcss.parse(fs.readFileSync(path.join(publicDir, name), 'utf8'), { from: name });
    const nested: string[] = [];
    root.walkRules((rule) => {
      if (rule.parent?.type === 'rule') nested.push(rule.selector);
    });
    expect(nested).toEqual([]);
  });
});
