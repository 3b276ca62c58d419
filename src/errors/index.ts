export { ErrorCodes, type ErrorCode, type ErrorSpec, type ErrorArea } from './registry.js';
export {
  TandemError,
  toTandemError,
  formatMessage,
  isWireError,
  type WireError,
  type ErrorParams,
} from './tandem-error.js';
