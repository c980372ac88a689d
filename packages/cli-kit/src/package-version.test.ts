import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { packageVersion } from './package-version.js';

describe('packageVersion', () => {
  it('reads the package.json above the calling module', () => {
    expect(packageVersion(import.meta.url)).toBe(packageJson.version);
  });
});
