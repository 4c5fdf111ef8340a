import { describe, expect, it } from 'vitest';
import { comingDays, dayInWords, hoursMatcher } from './orientation.hours.ts';

// Tuesday 10 March 2026, 10:30 in Paris.
const now = new Date('2026-03-10T09:30:00Z');
const place = (horaires: string | null) => ({ horaires, latitude: 45.76, longitude: 4.85, code_departement: '69' });

describe('hoursMatcher', () => {
  it('is absent when no hours wish is given', () => {
    expect(hoursMatcher({ creneaux: [] }, now)).toBeUndefined();
  });

  it('weekend: open at some time on Saturday or Sunday of the coming week', () => {
    const weekend = hoursMatcher({ creneaux: ['week-end'] }, now)!;
    expect(weekend(place('Sa 10:00-12:00'))).toBe(true);
    expect(weekend(place('Su 23:00-24:00'))).toBe(true);
    expect(weekend(place('Mo-Fr 09:00-18:00'))).toBe(false);
    // Friday night into Saturday counts: the place is open on Saturday.
    expect(weekend(place('Fr 22:00-02:00'))).toBe(true);
  });

  it('evening: open after 18 h on some day of the coming week', () => {
    const evening = hoursMatcher({ creneaux: ['soir'] }, now)!;
    expect(evening(place('Th 17:00-19:00'))).toBe(true);
    expect(evening(place('Mo-Fr 09:00-18:00'))).toBe(false);
    expect(evening(place('We 20:30-22:00'))).toBe(true);
  });

  it('both wishes must hold (weekend and evening may be met on different days)', () => {
    const both = hoursMatcher({ creneaux: ['week-end', 'soir'] }, now)!;
    expect(both(place('Sa 10:00-12:00'))).toBe(false);
    expect(both(place('Sa 10:00-12:00; We 18:00-20:00'))).toBe(true);
  });

  it('a chosen day: open at some time that day, public holidays included', () => {
    const thursday = hoursMatcher({ creneaux: [], jour: new Date(2026, 2, 12) }, now)!;
    expect(thursday(place('Th 14:00-15:00'))).toBe(true);
    expect(thursday(place('We,Fr 09:00-18:00'))).toBe(false);
    // 1 May 2026 is a Friday and a public holiday.
    const mayDay = hoursMatcher({ creneaux: [], jour: new Date(2026, 4, 1) }, new Date('2026-04-28T08:00:00Z'))!;
    expect(mayDay(place('Mo-Fr 09:00-12:00; PH off'))).toBe(false);
    expect(mayDay(place('Mo-Fr 09:00-12:00'))).toBe(true);
  });

  it('never matches places without hours or with unreadable ones', () => {
    const weekend = hoursMatcher({ creneaux: ['week-end'] }, now)!;
    expect(weekend(place(null))).toBe(false);
    expect(weekend(place('tous les jours'))).toBe(false);
  });
});

describe('comingDays', () => {
  it('says the next seven days from today in plain words', () => {
    const days = comingDays(place('Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00'), now)!;
    expect(days.map((d) => `${d.date} : ${d.hours}`)).toEqual([
      'Mardi 10 mars : ouvert de 9 h à 12 h et de 14 h à 17 h 30',
      'Mercredi 11 mars : ouvert de 9 h à 12 h et de 14 h à 17 h 30',
      'Jeudi 12 mars : ouvert de 9 h à 12 h et de 14 h à 17 h 30',
      'Vendredi 13 mars : ouvert de 9 h à 12 h et de 14 h à 17 h 30',
      'Samedi 14 mars : ouvert de 10 h à 12 h',
      'Dimanche 15 mars : fermé',
      'Lundi 16 mars : ouvert de 9 h à 12 h et de 14 h à 17 h 30',
    ]);
  });

  it('names public holidays and the first of the month', () => {
    const days = comingDays(place('Mo-Fr 09:00-12:00; PH off'), new Date('2026-04-28T08:00:00Z'))!;
    expect(days.find((d) => d.date === 'Vendredi 1er mai')?.hours).toBe('fermé (jour férié)');
    expect(comingDays(place('24/7'), now)![0]!.hours).toBe('ouvert 24 h/24');
  });

  it('is null without readable hours', () => {
    expect(comingDays(place(null), now)).toBeNull();
    expect(comingDays(place('n’importe quand'), now)).toBeNull();
    expect(dayInWords(new Date(2026, 11, 1))).toBe('Mardi 1er décembre');
  });
});
