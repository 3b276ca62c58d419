/**
 * @module What every command handler and event handler works with: the SDK client, the chat state, the
 * output, and `attempt`, which turns any failed request into one readable line (never a stack).
 */
import type { SignInResult, TandemClient } from '../client-sdk/index.js';
import { Operations, type OperationKey } from '../protocol/operations/index.js';
import type { ChatState } from './chat-state.js';
import { failureLine } from './format-events.js';
import type { Fmt } from './style.js';

/** Where lines go; both print above the prompt without disturbing what is being typed. */
export interface Output {
  info(line: string): void;
  /** Printed as `! line`. */
  error(line: string): void;
}

export interface ClientSession {
  readonly client: TandemClient;
  readonly state: ChatState;
  readonly out: Output;
  readonly fmt: Fmt;
  /** Users watched with /watch (contacts are watched without being listed here). */
  readonly watched: Set<string>;
  /** Meeting ids seen in this session, offered by Tab after /join. */
  readonly meetings: Set<string>;
  /** Contact groups seen in this session, offered by Tab. */
  readonly groups: Set<string>;
  /** The last sign-in; undefined before the first. */
  signIn: SignInResult | undefined;
  /** A SIP address from what the user typed (`bob` → `sip:bob@<own domain>`). */
  sip(typed: string): string;
  now(): number;
}

/** A command that could not do its job; its message is the whole story, shown after `! `. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
}

/** The protocol name of an operation (`contacts.add`), as errors name it. */
export const opName = (key: OperationKey): string => Operations[key].type;

/** Runs one request; a refusal or failure becomes CommandFailed(`contacts.add refused: …`). */
export async function attempt<T>(key: OperationKey, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new CommandFailed(failureLine(opName(key), err));
  }
}
