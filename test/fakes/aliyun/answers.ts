/**
 * @module test/fakes/aliyun/answers
 * How the fake writes an answer on the wire: JSON, or XML for RPC calls that ask for it (Aliyun's
 * default `Format`), with the root element Aliyun uses (`SendSmsResponse`, or `Error` from the gateway).
 */
import type { ServerResponse } from 'node:http';
import { sendRaw } from '../shared/fake-http-server.js';

export type Format = 'JSON' | 'XML';

export function answer(
  res: ServerResponse,
  format: Format,
  status: number,
  root: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): void {
  if (format === 'JSON') return sendRaw(res, status, JSON.stringify(body), 'application/json;charset=utf-8', headers);
  const fields = Object.entries(body)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  sendRaw(
    res,
    status,
    `<?xml version='1.0' encoding='UTF-8'?><${root}>${fields}</${root}>`,
    'text/xml;charset=utf-8',
    headers,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
