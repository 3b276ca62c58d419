export * from './store.js';
export { openStore } from './open-store.js';
export { openSqliteStore } from './sqlite/open-sqlite.js';
export { openPostgresStore, redactConnectionString } from './postgres/open-postgres.js';
