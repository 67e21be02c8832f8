/**
 * The head office address as the owner typed it: https, or plain http only to this machine
 * (a server on the till itself, a test). Anything else would send the till's credential and its
 * sales in clear over the network. Returns the normalised base URL (no trailing slash) or why not.
 */
export function checkServerUrl(input: string): { url: string } | { problem: 'url_invalid' | 'tls_required' } {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    return { problem: 'url_invalid' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { problem: 'url_invalid' };
  if (!u.hostname || u.username || u.password || u.search || u.hash) return { problem: 'url_invalid' };
  if (u.protocol === 'http:' && !isLoopback(u.hostname)) return { problem: 'tls_required' };
  return { url: `${u.origin}${u.pathname.replace(/\/+$/, '')}` };
}

function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((x) => Number(x) <= 255);
}
