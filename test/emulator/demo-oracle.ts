/**
 * The facts of the demo seed, asset by asset (index i of the demo TEXT project), written down
 * independently of the seeder so that filter tests state their expected ids.
 */
export interface DemoLabel { type: string; author: 'admin' | 'labeler' | 'reviewer'; createdHours: number; classOnly: boolean }

export const HOUR = 3_600_000;
export const TEXT_BASE = Date.parse('2024-01-01T00:00:00.000Z');

export function facts(i: number) {
  const k = i % 10;
  const sentBack = k === 3 && i % 20 === 13;
  const labels: DemoLabel[] = [];
  if (k === 3) labels.push({ type: sentBack ? 'DEFAULT' : 'AUTOSAVE', author: 'labeler', createdHours: i + 1, classOnly: !sentBack });
  if (k >= 4) labels.push({ type: 'DEFAULT', author: k === 5 ? 'admin' : 'labeler', createdHours: i + 1, classOnly: false });
  if (k === 8) labels.push({ type: 'REVIEW', author: 'reviewer', createdHours: i + 1.25, classOnly: false });
  if (k === 9) labels.push({ type: 'DEFAULT', author: 'admin', createdHours: i + 1.25, classOnly: false });
  return {
    k,
    status: k <= 2 ? 'TODO' : k === 3 ? 'ONGOING' : k === 7 ? 'TO_REVIEW' : k === 8 ? 'REVIEWED' : 'LABELED',
    sentBack,
    labels,
    createdHours: i,
    externalId: `text-${i}`,
    metadata: { source: ['web', 'mobile', 'scan'][i % 3]!, batch: i % 5, score: (i * 37) % 100, language: i % 2 ? 'fr' : 'en' },
    honeypotMark: i % 25 === 0 ? (i % 100) / 100 : null,
    consensusMark: k === 9 ? 0.5 + (Math.floor(i / 10) % 5) / 10 : null,
    inferenceMark: i % 7 === 0 && k >= 4 ? ((i * 13) % 100) / 100 : null,
    skipped: i % 31 === 5,
    assignees: [...(i % 4 === 0 ? ['labeler'] : []), ...(i % 6 === 1 ? ['reviewer'] : [])],
    issue: i % 15 === 0 ? ['ISSUE', 'OPEN'] : i % 15 === 7 ? ['QUESTION', 'OPEN'] : i % 45 === 20 ? ['ISSUE', 'SOLVED'] : i % 45 === 38 ? ['QUESTION', 'CANCELLED'] : null,
  };
}

const CLASSES = ['POSITIVE', 'NEGATIVE', 'NEUTRAL'];
const ENTITIES = ['PERSON', 'ORGANIZATION', 'LOCATION'];

/** JOB.CATEGORY.count for one demo TEXT label. */
export function count(i: number, label: DemoLabel, job: string, category: string): number {
  if (job === 'CLASSIFICATION_JOB') return CLASSES[i % 3] === category ? 1 : 0;
  if (job !== 'NAMED_ENTITIES_RECOGNITION_JOB' || label.classOnly) return 0;
  return Array.from({ length: i % 4 }, (_, j) => ENTITIES[(i + j) % 3]).filter((c) => c === category).length;
}
