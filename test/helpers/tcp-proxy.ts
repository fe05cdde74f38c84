// A TCP proxy on 127.0.0.1 in front of a server, able to cut the connection in the middle of a
// conversation: once the client has sent something matching `cutAfterClient` and the server has then
// sent `thenServerBytes` more bytes, both sockets are destroyed (as a network failure would).
import { createConnection, createServer, type Socket } from 'node:net';

export interface ProxyOptions {
  targetPort: number;
  cutAfterClient?: RegExp;
  thenServerBytes?: number;
}

export interface TcpProxy {
  port: number;
  /** How many connections were cut. */
  cuts: number;
  close(): Promise<void>;
}

export function startProxy(o: ProxyOptions): Promise<TcpProxy> {
  const state = { cuts: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: o.targetPort });
    sockets.add(client);
    sockets.add(upstream);
    let armed = false;
    let after = 0;
    let clientText = '';
    const cut = (): void => {
      state.cuts++;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d: Buffer) => {
      if (o.cutAfterClient && !armed) {
        clientText = (clientText + d.toString('latin1')).slice(-4096);
        if (o.cutAfterClient.test(clientText)) armed = true;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (armed) {
        const room = (o.thenServerBytes ?? 0) - after;
        if (d.length >= room) {
          if (room > 0) client.write(d.subarray(0, room));
          cut();
          return;
        }
        after += d.length;
      }
      client.write(d);
    });
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      a.on('end', () => b.end());
      a.on('error', () => b.destroy());
      a.on('close', () => sockets.delete(a));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({
        port: typeof a === 'object' && a ? a.port : 0,
        get cuts() {
          return state.cuts;
        },
        close: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            server.close(() => res());
          }),
      });
    });
  });
}
