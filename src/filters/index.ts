/** Asset filters: validation and translation to the upstream shape (pure). */
export { translateWhere, ALIASES, MAX_PARTIAL_EXTERNAL_IDS, type TranslatedWhere } from './where.js';
export { checkCategorySearch, type CategorySearchError } from './category-search.js';
export { checkMetadataWhere } from './metadata.js';
