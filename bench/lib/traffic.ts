/**
 * @module bench/lib/traffic
 * What the benchmark sends: booking reminders, as a clinic or salon would, to random US numbers.
 * Every body is unique (it ends with a run-scoped reference), so the fake Twilio can tell a
 * duplicate send from two messages. Numbers stay clear of the simulator's magic endings 0001-0009
 * (forced failures, hangs) so that every message takes the normal path.
 */

const AREAS = ['212', '303', '312', '415', '503', '512', '617', '650', '702', '206'];
const NAMES = ['Alex', 'Maria', 'Sam', 'Priya', 'Jordan', 'Chen', 'Fatima', 'Lukas', 'Ana', 'Tom'];
const SERVICES = ['dental check-up', 'haircut', 'physio session', 'eye exam', 'car service', 'consultation'];
const DAYS = ['Mon 3 Mar', 'Tue 4 Mar', 'Wed 5 Mar', 'Thu 6 Mar', 'Fri 7 Mar', 'Sat 8 Mar'];
const TIMES = ['9:00', '10:30', '11:15', '13:45', '15:00', '16:30'];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

export interface SendRequest {
  to: string;
  body: string;
  reference: string;
  sendAt?: string;
}

/** +1 AAA 555 NNNN with NNNN in 1000-9999: valid, SMS-capable, never a magic number. */
export function randomUsNumber(): string {
  return `+1${pick(AREAS)}555${1000 + Math.floor(Math.random() * 9000)}`;
}

export class Reminders {
  #seq = 0;

  /** `prefix` starts every body, so the fake can count this run's (or scenario's) messages. */
  constructor(readonly prefix: string) {}

  next(sendAt?: string): SendRequest {
    const n = ++this.#seq;
    const body =
      `${this.prefix} Hi ${pick(NAMES)}, a reminder of your ${pick(SERVICES)} on ${pick(DAYS)} at ${pick(TIMES)}. ` +
      `Reply C to confirm or R to reschedule. Ref ${n}`;
    return { to: randomUsNumber(), body, reference: `booking-${n}`, ...(sendAt ? { sendAt } : {}) };
  }

  /** One request body of `POST /v1/messages`. */
  json(): string {
    return JSON.stringify(this.next());
  }

  /** One request body of `POST /v1/messages/batch`. */
  batchJson(size: number, sendAt?: string): string {
    return JSON.stringify({ messages: Array.from({ length: size }, () => this.next(sendAt)) });
  }
}
