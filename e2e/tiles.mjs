// A stand-in map tile server for the map scenarios: answers every tile URL with one small grey
// PNG, counts what it was asked for, and can be stopped mid-test so that the browser can no
// longer reach it (tiles unavailable), keep-alive connections included.
import { createServer } from "node:http";
import { deflateSync } from "node:zlib";

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as PNG chunks need it.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let bit = 0; bit < 8; bit += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data, and the CRC of type and data. */
function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A `size`×`size` truecolour PNG filled with one colour. */
function solidPng(size, [r, g, b]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0); // width
  header.writeUInt32BE(size, 4); // height
  header[8] = 8; // bits per sample
  header[9] = 2; // colour type: RGB
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  // Each scanline: filter type 0 (none), then the pixels.
  const row = 1 + size * 3;
  const raw = Buffer.alloc(row * size);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const at = y * row + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The one tile every tile URL gets: 256×256, light grey. */
export const TILE_PNG = solidPng(256, [0xdd, 0xdd, 0xdd]);

const TILE_PATH = /^\/tiles\/\d+\/\d+\/\d+\.png$/;

/**
 * Starts the tile server on 127.0.0.1 and a free port. `template` is what the app's server takes
 * as VECINOS_TILE_URL. `requests` is how many requests arrived in all (any path, any answer),
 * `hits(path)` how many for one path such as "/tiles/12/987/1467.png". `stop()` closes the port
 * and drops open connections; `close()` does the same for teardown and may be called again.
 */
export async function startTileServer() {
  const counts = new Map();
  let total = 0;
  const sockets = new Set();

  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://tiles.invalid").pathname;
    total += 1;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if ((req.method === "GET" || req.method === "HEAD") && TILE_PATH.test(path)) {
      res.writeHead(200, {
        "content-type": "image/png",
        "content-length": TILE_PNG.length,
        "access-control-allow-origin": "*",
        "cache-control": "max-age=86400",
      });
      res.end(req.method === "HEAD" ? undefined : TILE_PNG);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain", "access-control-allow-origin": "*" });
    res.end("not a tile\n");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;

  let closing;
  const shut = () => {
    closing ??= new Promise((resolve) => {
      server.close(() => resolve());
      // Keep-alive connections would otherwise let the browser go on fetching tiles.
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });
    return closing;
  };

  return {
    url,
    template: `${url}/tiles/{z}/{x}/{y}.png`,
    get requests() {
      return total;
    },
    hits: (path) => counts.get(path) ?? 0,
    stop: shut,
    close: shut,
  };
}
