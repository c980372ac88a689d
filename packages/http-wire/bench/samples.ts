/** Requests used by the parser benchmark. */

const CRLF = '\r\n';

function head(lines: string[]): string {
  return lines.join(CRLF) + CRLF + CRLF;
}

export interface Sample {
  name: string;
  bytes: Uint8Array;
}

/** The request of picohttpparser's and httparse's benchmarks (703 bytes). */
const browserGet = head([
  'GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1',
  'Host: www.kittyhell.com',
  'User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9',
  'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Accept-Language: ja,en-us;q=0.7,en;q=0.3',
  'Accept-Encoding: gzip,deflate',
  'Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7',
  'Keep-Alive: 115',
  'Connection: keep-alive',
  'Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; __utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; __utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral',
]);

/** What a current Chrome sends for a page navigation. */
const chromeGet = head([
  'GET /downloads/ubuntu-24.04-desktop-amd64.iso HTTP/1.1',
  'Host: mirror.example.org',
  'Connection: keep-alive',
  'sec-ch-ua: "Chromium";v="128", "Not;A=Brand";v="24", "Google Chrome";v="128"',
  'sec-ch-ua-mobile: ?0',
  'sec-ch-ua-platform: "Linux"',
  'Upgrade-Insecure-Requests: 1',
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
  'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'Sec-Fetch-Site: none',
  'Sec-Fetch-Mode: navigate',
  'Sec-Fetch-User: ?1',
  'Sec-Fetch-Dest: document',
  'Accept-Encoding: gzip, deflate, br, zstd',
  'Accept-Language: en-US,en;q=0.9',
]);

/** `curl http://127.0.0.1:8080/foo.bin` (84 bytes). */
const curlGet = head([
  'GET /foo.bin HTTP/1.1',
  'Host: 127.0.0.1:8080',
  'User-Agent: curl/8.5.0',
  'Accept: */*',
]);

/** A chunked upload: three 64-byte chunks and the last chunk. */
const chunk = 'x'.repeat(64);
const chunkedPost =
  head([
    'POST /upload HTTP/1.1',
    'Host: mirror.example.org',
    'User-Agent: lb-bench',
    'Content-Type: application/octet-stream',
    'Transfer-Encoding: chunked',
  ]) + `40${CRLF}${chunk}${CRLF}40${CRLF}${chunk}${CRLF}40${CRLF}${chunk}${CRLF}0${CRLF}${CRLF}`;

const encoder = new TextEncoder();

export const SAMPLES: Sample[] = [
  { name: 'browser GET (picohttpparser)', bytes: encoder.encode(browserGet) },
  { name: 'Chrome GET', bytes: encoder.encode(chromeGet) },
  { name: 'curl GET', bytes: encoder.encode(curlGet) },
  { name: 'chunked POST', bytes: encoder.encode(chunkedPost) },
];
