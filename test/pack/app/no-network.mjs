// Loaded with `node --import` before the app: any attempt to reach the network fails loudly.
import net from 'node:net';

const refuse = (what) => () => {
  throw new Error(`aekit tried to reach the network (${what})`);
};
globalThis.fetch = refuse('fetch');
net.Socket.prototype.connect = refuse('socket connect');
