import { afterEach, describe, expect, it } from 'vitest';
import { SmsProviderEmulator } from '../../src-main/sms/emulator.js';
import { SmsProviderError, SmsRuProvider } from '../../src-main/sms/provider.js';

const emulators: SmsProviderEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.stop();
});

async function rig(apiId = 'key-1') {
  const emulator = new SmsProviderEmulator('key-1');
  emulators.push(emulator);
  const baseUrl = await emulator.start();
  return { emulator, provider: new SmsRuProvider({ baseUrl, apiId, timeoutMs: 500 }) };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; retryable: boolean; providerCode: number | null }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SmsProviderError) return { code: e.code, retryable: e.retryable, providerCode: e.providerCode };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the SMS provider (SMS.ru shape) against its emulator over HTTP', () => {
  it('sends, follows delivery, reads the balance in kopecks', async () => {
    const { emulator, provider } = await rig();
    const { providerId } = await provider.send('+79161234567', 'Ваши баллы: 120', 'Lavka');
    expect(emulator.sent).toEqual([expect.objectContaining({ id: providerId, to: '79161234567', text: 'Ваши баллы: 120', from: 'Lavka' })]);
    expect(await provider.status(providerId)).toBe('queued');
    emulator.deliver(providerId, 102);
    expect(await provider.status(providerId)).toBe('sent');
    emulator.deliver(providerId, 103);
    expect(await provider.status(providerId)).toBe('delivered');
    emulator.deliver(providerId, 108);
    expect(await provider.status(providerId)).toBe('failed');
    expect(await provider.balance()).toBe(10_000 - 350);
  });

  it('every provider error has its code, and only the passing ones are retried', async () => {
    const { emulator, provider } = await rig();
    const cases: [number, string, boolean][] = [
      [201, 'no_balance', false],
      [202, 'bad_number', false],
      [204, 'bad_sender', false],
      [205, 'too_long', false],
      [206, 'rate_limited', true],
      [207, 'blocked_number', false],
      [209, 'blocked_number', false],
      [220, 'unavailable', true],
      [230, 'rate_limited', true],
      [301, 'bad_auth', false],
      [999, 'unavailable', true],
    ];
    for (const [code, expected, retryable] of cases) {
      emulator.fail({ kind: 'status', code });
      expect(await refusal(provider.send('+79161234567', 'x', 'Lavka')), String(code)).toEqual({ code: expected, retryable, providerCode: code });
    }
    expect(emulator.sent).toHaveLength(0);
  });

  it('a wrong key, an empty account, a server error, an unreadable answer and no answer at all', async () => {
    const { emulator, provider } = await rig('wrong-key');
    expect(await refusal(provider.balance())).toMatchObject({ code: 'bad_auth', retryable: false, providerCode: 200 });
    const ok = await rig();
    ok.emulator.balance = 100;
    expect(await refusal(ok.provider.send('+79161234567', 'x', 'Lavka'))).toMatchObject({ code: 'no_balance', retryable: false });
    ok.emulator.fail({ kind: 'http', status: 502 });
    expect(await refusal(ok.provider.balance())).toMatchObject({ code: 'unavailable', retryable: true });
    ok.emulator.fail({ kind: 'garbage' });
    expect(await refusal(ok.provider.balance())).toMatchObject({ code: 'bad_response', retryable: true });
    ok.emulator.fail({ kind: 'hang' });
    expect(await refusal(ok.provider.balance())).toMatchObject({ code: 'network', retryable: true });
    await ok.emulator.stop();
    expect(await refusal(ok.provider.balance())).toMatchObject({ code: 'network', retryable: true });
    expect(emulator.sent).toHaveLength(0);
  });
});
