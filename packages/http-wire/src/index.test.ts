import { expect, test } from 'vitest';
import { placeholder } from '@lb/http-wire';
test('x', () => { expect(placeholder).toBe(1); });
