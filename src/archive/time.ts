// Dates as archives and signatures show them: ISO 8601 in Vietnam time (+07:00) and PDF date strings.

/** Vietnam has used UTC+7 without daylight saving since 1975. */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function shifted(date: Date, offsetMinutes: number): Date {
  return new Date(date.getTime() + offsetMinutes * 60_000);
}

function offsetText(offsetMinutes: number, separator: string, suffix = ''): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}${suffix}`;
}

/** "2025-12-31T16:05:09+07:00": second precision, Vietnam time zone by default. */
export function isoLocal(date: Date, offsetMinutes = VIETNAM_OFFSET_MINUTES): string {
  const d = shifted(date, offsetMinutes);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${offsetText(offsetMinutes, ':')}`
  );
}

/** PDF date string "D:20251231160509+07'00'" (ISO 32000-1 §7.9.4). */
export function pdfDateLocal(date: Date, offsetMinutes = VIETNAM_OFFSET_MINUTES): string {
  const d = shifted(date, offsetMinutes);
  return (
    `D:${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${offsetText(offsetMinutes, "'", "'")}`
  );
}

/** Parses a PDF date string ("D:YYYYMMDDHHmmSS+HH'mm'", any prefix of the fields after the year). */
export function parsePdfDate(text: string): Date | undefined {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', z, sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(utc)) return undefined;
  const offset = z || !sign ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return new Date(utc - offset * 60_000);
}

/** Drops milliseconds: PDF and XMP dates carry seconds, and Info must equal XMP. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
