/**
 * @module test/fakes/smtp
 * A fake submission server for tests of the SMTP adapter: start it, point an `smtp://` provider URL
 * at its host and port with its credentials, and read the mails it accepted.
 */
export { startFakeSmtp, type FakeSmtp, type FakeSmtpOptions, type ReceivedMail, type SmtpFault } from './fake-smtp.js';
export { readMail, type ReadMail } from './mime.js';
