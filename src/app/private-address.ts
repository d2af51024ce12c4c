/**
 * @module app/private-address
 * Is this host one of ours rather than the internet's? A webhook URL an admin registers is called
 * by the server, from inside its network: pointed at 169.254.169.254 (cloud metadata), 10.x or
 * 127.0.0.1 it would turn Tidings into a way to reach what the firewall keeps out (SSRF).
 * Only literal addresses and `localhost` are judged here; see docs/reliability.md for DNS names.
 */
import { isIP } from 'node:net';

/** IPv4 ranges that are not the public internet (RFC 6890 and friends), as [first octets, prefix]. */
const PRIVATE_V4: ReadonlyArray<[number[], number]> = [
  [[0], 8], // "this network"
  [[10], 8], // private
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, cloud metadata
  [[172, 16], 12], // private
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 168], 16], // private
  [[198, 18], 15], // benchmarking
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast
];

function v4Number(host: string): number {
  return host.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function isPrivateV4(host: string): boolean {
  const n = v4Number(host);
  return PRIVATE_V4.some(([octets, prefix]) => {
    const base = v4Number([...octets, 0, 0, 0, 0].slice(0, 4).join('.'));
    const size = 2 ** (32 - prefix);
    return n >= base && n < base + size;
  });
}

/** The 16 bytes of an IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function v6Bytes(host: string): number[] {
  let text = host;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const n = v4Number(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const v = parseInt(g || '0', 16);
    return [v >> 8, v & 0xff];
  });
}

function isPrivateV6(host: string): boolean {
  const b = v6Bytes(host);
  const zeros = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeros(15) && (b[15] === 0 || b[15] === 1)) return true; // :: and ::1
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible: judge the IPv4 address inside.
  if (zeros(10) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0))) {
    return isPrivateV4(b.slice(12).join('.'));
  }
  const first = b[0] ?? 0;
  if ((first & 0xfe) === 0xfc) return true; // unique local fc00::/7
  if (first === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return true; // link-local fe80::/10
  if (first === 0xff) return true; // multicast
  return false;
}

/** True for loopback, private, link-local, CGNAT, multicast and unspecified addresses, and `localhost`. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const version = isIP(host.split('%')[0] ?? '');
  if (version === 4) return isPrivateV4(host);
  if (version === 6) return isPrivateV6(host.split('%')[0] ?? '');
  return false;
}
