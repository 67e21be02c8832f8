import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the emulated provider does with the next requests. */
export type SmsFault =
  | { kind: 'status'; code: number }
  | { kind: 'http'; status: number }
  | { kind: 'garbage' }
  | { kind: 'hang' };

export interface EmulatedSms {
  id: string;
  to: string;
  text: string;
  from: string;
  /** 100 queued, 102 sent, 103 delivered, 104+ failed. */
  statusCode: number;
}

/**
 * An SMS.ru-shaped provider on a local HTTP port: it keeps what it was sent (the tests and the
 * demo read it), answers status and balance, checks the key, charges per part, and can be made to
 * fail with any provider code, an HTTP error, an unreadable body or no answer at all.
 */
export class SmsProviderEmulator {
  readonly sent: EmulatedSms[] = [];
  balance = 10_000; // kopecks
  /** Kopecks a message costs per part. */
  pricePerPart = 350;
  private faults: SmsFault[] = [];
  private server: Server | null = null;
  private n = 0;

  constructor(private readonly apiId: string) {}

  /** The next request meets this fault (queued: one per request). */
  fail(f: SmsFault): void {
    this.faults.push(f);
  }

  deliver(id: string, code = 103): void {
    const m = this.sent.find((s) => s.id === id);
    if (m) m.statusCode = code;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const fault = this.faults.shift();
        if (fault?.kind === 'hang') return; // never answers
        if (fault?.kind === 'http') return void res.writeHead(fault.status).end('error');
        if (fault?.kind === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        const p = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (p.get('api_id') !== this.apiId) return json({ status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' });
        if (fault?.kind === 'status') return json({ status: 'ERROR', status_code: fault.code, status_text: `emulated ${fault.code}` });
        const url = req.url ?? '';
        if (url.startsWith('/my/balance')) return json({ status: 'OK', status_code: 100, balance: (this.balance / 100).toFixed(2) });
        if (url.startsWith('/sms/status')) {
          const id = p.get('sms_id') ?? '';
          const m = this.sent.find((s) => s.id === id);
          return json({ status: 'OK', status_code: 100, sms: { [id]: m ? { status: 'OK', status_code: m.statusCode } : { status: 'ERROR', status_code: -1, status_text: 'no such message' } } });
        }
        if (url.startsWith('/sms/send')) {
          const to = p.get('to') ?? '';
          const text = p.get('msg') ?? '';
          const parts = Math.max(1, Math.ceil([...text].length / 67));
          if (this.balance < parts * this.pricePerPart) return json({ status: 'OK', status_code: 100, sms: { [to]: { status: 'ERROR', status_code: 201, status_text: 'Не хватает средств' } } });
          this.balance -= parts * this.pricePerPart;
          const id = `emu-${++this.n}`;
          this.sent.push({ id, to, text, from: p.get('from') ?? '', statusCode: 100 });
          return json({ status: 'OK', status_code: 100, sms: { [to]: { status: 'OK', status_code: 100, sms_id: id } }, balance: this.balance / 100 });
        }
        json({ status: 'ERROR', status_code: 211, status_text: 'Метод не найден' });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }
}
