/**
 * @module storage/dialect
 * Which SQL engine a database URL names. Only the few places where engines differ ask.
 */
export type Dialect = 'sqlite' | 'postgres';
