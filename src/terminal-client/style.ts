/**
 * @module How output looks: ANSI colours only when stdout is a terminal (and NO_COLOR is unset), and how
 * users are named. Every formatter takes a Fmt, so tests format with colours off.
 */
import type { SeenAvailability } from '../protocol/model.js';
import { shortName } from './sip.js';

type Paint = (text: string) => string;

export interface Style {
  readonly enabled: boolean;
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
  readonly magenta: Paint;
}

const sgr =
  (on: number, off: number): Paint =>
  (text) =>
    `\x1b[${on}m${text}\x1b[${off}m`;
const plain: Paint = (text) => text;

export function makeStyle(enabled: boolean): Style {
  if (!enabled)
    return {
      enabled,
      bold: plain,
      dim: plain,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      magenta: plain,
    };
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
    magenta: sgr(35, 39),
  };
}

/** Colours for a stream: on for a terminal, off for a pipe or a file, off whenever NO_COLOR is set. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return makeStyle(Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb');
}

export interface Fmt {
  readonly style: Style;
  /** The short name of a user (`bob` in one's own domain). */
  name(sip: string): string;
}

export function makeFmt(style: Style, domain: string | undefined): Fmt {
  return { style, name: (sip) => shortName(sip, domain) };
}

/** An availability as shown in lists and events, with a coloured dot on a terminal. */
export function availabilityText(fmt: Fmt, availability: SeenAvailability): string {
  const s = fmt.style;
  if (!s.enabled) return availability;
  switch (availability) {
    case 'Online':
      return `${s.green('●')} ${availability}`;
    case 'Busy':
    case 'DoNotDisturb':
      return `${s.red('●')} ${availability}`;
    case 'BeRightBack':
    case 'Away':
      return `${s.yellow('●')} ${availability}`;
    case 'Offline':
    case 'Unknown':
      return `${s.dim('○')} ${availability}`;
  }
}
