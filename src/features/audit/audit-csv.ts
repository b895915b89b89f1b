const japanTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** '2026-11-30 09:15:02': Japan time as spreadsheets sort and read it. */
export function csvJapanTime(ms: number): string {
  return japanTime.format(new Date(ms));
}
