/**
 * @module providers/template-mapping
 * Shared by template-only carriers (Aliyun, Tencent): whether a message has a registered template
 * there. Only "no mapping" counts as "cannot carry"; a mapping with missing data is the message's
 * own fault and is left to fail on send, with its own code.
 */
import { isProviderError } from '../core/provider-error.js';

export function hasTemplateFor(resolve: () => unknown): boolean {
  try {
    resolve();
    return true;
  } catch (err) {
    return !(isProviderError(err) && err.providerCode === 'template_not_mapped');
  }
}
