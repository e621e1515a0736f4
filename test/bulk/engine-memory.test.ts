/**
 * The bulk-operation suite on the in-process engine (no Redis: the embedded default).
 */
import { bulkEngineSuite } from './engine-suite.js';

bulkEngineSuite('in-process engine', () => ({}));
