import net from 'node:net';

/**
 * A port that was free a moment ago (bound on 127.0.0.1, then released): for a test that needs a
 * port nobody listens on, or must name one before the program starts.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
