/**
 * @module ports/metrics
 * What the application counts. The Prometheus adapter lives in observability/.
 */
export interface Metrics {
  accepted(channel: string, count: number): void;
  sent(provider: string, channel: string, seconds: number): void;
  sendFailed(provider: string, channel: string, kind: string, seconds: number): void;
  statusChanged(provider: string, channel: string, status: string): void;
  fellBack(from: string, to: string): void;
  segmentsSaved(count: number): void;
}

export const noMetrics: Metrics = {
  accepted: () => {},
  sent: () => {},
  sendFailed: () => {},
  statusChanged: () => {},
  fellBack: () => {},
  segmentsSaved: () => {},
};
