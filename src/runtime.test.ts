import { describe, expect, it } from 'vitest';
import { startMessage } from './runtime.js';

describe('the start line (#13)', () => {
  it('#13 names no demo address when there is no demo university', () => {
    expect(startMessage({ publicUrl: 'https://shomei.example.ac.jp' }, ['tu', 'minato'])).toBe(
      'Shomei is running: https://shomei.example.ac.jp/',
    );
  });

  it('#13 names the demo address when the demo university exists', () => {
    expect(startMessage({ publicUrl: 'http://localhost:3000' }, ['demo'])).toBe(
      'Shomei is running: http://localhost:3000/  (demo: http://localhost:3000/demo/)',
    );
  });
});
