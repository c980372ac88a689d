/** The status codes of the HTTP/1.1 responses in raw response text (a socket's bytes), in order. */
export function statusCodes(text: string): string[] {
  return [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => match[1]!);
}
