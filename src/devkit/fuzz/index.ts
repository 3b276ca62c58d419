/**
 * @module The fuzzers, for the test suite (a short run with a fixed seed) and the drill (long runs): one
 * function per external parser, each returning a FuzzReport of what it sent and what broke the contract.
 */
export { fuzzClientProtocol, type ClientFuzzOptions } from './client-protocol-fuzz.js';
export { fuzzAdminApi, type AdminFuzzOptions } from './admin-api-fuzz.js';
export { fuzzS2s, type S2sFuzzOptions } from './s2s-fuzz.js';
export { fuzzTopology, sampleTopologies } from './topology-fuzz.js';
export { fuzzCmdletGrammar } from './cmdlet-grammar-fuzz.js';
export { describeReport, type FuzzReport, type FuzzViolation } from './fuzz-report.js';
export { metricLabelValues, serverLogProblems, serverVitals, type ServerVitals } from './server-probe.js';
