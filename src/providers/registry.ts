/**
 * @module providers/registry
 * Provider URL scheme → factory, imported lazily so an install that never uses a provider never
 * loads its code. Adding a provider: its own folder and one line here.
 */
import type { Provider, ProviderContext, ProviderFactory } from '../ports/provider.js';

const FACTORIES: Record<string, () => Promise<ProviderFactory>> = {
  sim: async () => (await import('./sim/index.js')).createSimProvider,
  twilio: async () => (await import('./twilio/index.js')).createTwilioProvider,
  'twilio-voice': async () => (await import('./twilio-voice/index.js')).createTwilioVoiceProvider,
  smtp: async () => (await import('./smtp/index.js')).createSmtpProvider,
  smtps: async () => (await import('./smtp/index.js')).createSmtpProvider,
  webpush: async () => (await import('./webpush/index.js')).createWebPushProvider,
  aliyun: async () => (await import('./aliyun/index.js')).createAliyunProvider,
  sns: async () => (await import('./sns/index.js')).createSnsProvider,
  tencent: async () => (await import('./tencent/index.js')).createTencentProvider,
};

export const PROVIDER_SCHEMES = Object.keys(FACTORIES);

export async function createProvider(url: string, ctx: ProviderContext): Promise<Provider> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Echo only what looks like a scheme: a secret pasted in place of a URL must not reach a log.
    const scheme = /^[a-z][a-z0-9+.-]{0,30}:/i.exec(url)?.[0] ?? '(no scheme)';
    throw new Error(`not a provider URL: ${scheme}… (expected e.g. sim:// or twilio://SID:TOKEN@+1555…)`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  const load = FACTORIES[scheme];
  if (!load) throw new Error(`unknown provider "${scheme}"; known: ${PROVIDER_SCHEMES.join(', ')}`);
  return (await load())(parsed, ctx);
}
