/**
 * Emulator internals: the deterministic content of the demo seed (users, ontologies, and the
 * per-asset scenario generator). seed.ts writes it.
 */
export const ORG_ID = 'org-demo';
export const OTHER_ORG_ID = 'org-other';
export const KEY_EXPIRY = '2099-12-31T23:59:59.000Z';
export const SEED_TIME = '2024-01-01T00:00:00.000Z';

export const DEMO_USERS = {
  admin: { id: 'user-demo-admin', email: 'admin@demo.kili.local', firstname: 'Ada', lastname: 'Admin', org: ORG_ID, key: '' },
  labeler: { id: 'user-demo-labeler', email: 'labeler@demo.kili.local', firstname: 'Lea', lastname: 'Labeler', org: ORG_ID, key: 'demo-labeler-key' },
  reviewer: { id: 'user-demo-reviewer', email: 'reviewer@demo.kili.local', firstname: 'Rex', lastname: 'Reviewer', org: ORG_ID, key: 'demo-reviewer-key' },
  outsider: { id: 'user-outsider', email: 'outsider@other.kili.local', firstname: 'Otto', lastname: 'Outsider', org: OTHER_ORG_ID, key: 'demo-outsider-key' },
} as const;

function categories(names: readonly string[]): Record<string, { name: string; children: string[] }> {
  return Object.fromEntries(names.map((n) => [n, { name: n.charAt(0) + n.slice(1).toLowerCase(), children: [] }]));
}

export const TEXT_CLASSES = ['POSITIVE', 'NEGATIVE', 'NEUTRAL'] as const;
export const TEXT_ENTITIES = ['PERSON', 'ORGANIZATION', 'LOCATION'] as const;
export const IMAGE_CLASSES = ['CAT', 'DOG', 'BIRD'] as const;
export const IMAGE_OBJECTS = ['CAR', 'PEDESTRIAN'] as const;

export const TEXT_INTERFACE = JSON.stringify({
  jobs: {
    CLASSIFICATION_JOB: { mlTask: 'CLASSIFICATION', instruction: 'Sentiment', required: 1, isChild: false, content: { input: 'radio', categories: categories(TEXT_CLASSES) } },
    NAMED_ENTITIES_RECOGNITION_JOB: { mlTask: 'NAMED_ENTITIES_RECOGNITION', instruction: 'Entities', required: 0, isChild: false, content: { input: 'radio', categories: categories(TEXT_ENTITIES) } },
  },
});

export const IMAGE_INTERFACE = JSON.stringify({
  jobs: {
    CLASSIFICATION_JOB: { mlTask: 'CLASSIFICATION', instruction: 'Animal', required: 1, isChild: false, content: { input: 'radio', categories: categories(IMAGE_CLASSES) } },
    OBJECT_DETECTION_JOB: { mlTask: 'OBJECT_DETECTION', instruction: 'Objects', required: 0, isChild: false, tools: ['rectangle'], content: { input: 'radio', categories: categories(IMAGE_OBJECTS) } },
  },
});

export type DemoKind = 'text' | 'image';

/** A label's jsonResponse: one classification category plus `objects` NER/bbox annotations. */
export function demoResponse(kind: DemoKind, i: number, objects: number, classOnly = false): string {
  const cls = kind === 'text' ? TEXT_CLASSES[i % 3]! : IMAGE_CLASSES[i % 3]!;
  const response: Record<string, unknown> = { CLASSIFICATION_JOB: { categories: [{ name: cls, confidence: 100 }] } };
  if (classOnly) return JSON.stringify(response);
  if (kind === 'text') {
    response.NAMED_ENTITIES_RECOGNITION_JOB = {
      annotations: Array.from({ length: objects }, (_, j) => ({
        mid: `ner-${i}-${j}`, beginOffset: j * 10, content: `entity${j}`,
        categories: [{ name: TEXT_ENTITIES[(i + j) % 3]!, confidence: 100 }],
      })),
    };
  } else {
    response.OBJECT_DETECTION_JOB = {
      annotations: Array.from({ length: objects }, (_, j) => ({
        mid: `obj-${i}-${j}`, type: 'rectangle',
        categories: [{ name: IMAGE_OBJECTS[(i + j) % 2]!, confidence: 100 }],
        boundingPoly: [{ normalizedVertices: [{ x: 0.1, y: 0.1 }, { x: 0.1, y: 0.3 }, { x: 0.3, y: 0.3 }, { x: 0.3, y: 0.1 }] }],
      })),
    };
  }
  return JSON.stringify(response);
}

/** Asset metadata: strings and numbers. */
export function demoMetadata(i: number): string {
  return JSON.stringify({
    source: ['web', 'mobile', 'scan'][i % 3],
    batch: i % 5,
    score: (i * 37) % 100,
    language: i % 2 ? 'fr' : 'en',
  });
}

export function hoursAfter(base: string, hours: number): string {
  return new Date(Date.parse(base) + hours * 3_600_000).toISOString();
}
