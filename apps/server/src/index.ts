import { placeholder } from '@lb/http-wire'; export const s = placeholder;
