/** Schemas of every raw source of the two papers (see data/codebook/<source>.md). */
export { CUSTOMS } from "./customs";
export { CENSUS } from "./census";
export { ALIBABA_MEMBERS } from "./alibaba";
export { CITY_YEARBOOK } from "./yearbook";
export { HISTORY_1984 } from "./history1984";
export { GOV_REPORTS } from "./govReports";
export { CPI_CATEGORIES } from "./cpiCategories";
export { SIGMA_HS3 } from "./sigma";
export { PRODUCTS } from "./products";
export { NATIONAL_SERIES } from "./national";
export { CITIES } from "./cities";
export { DIGITAL_SHIFTS } from "./digitalShifts";
export { PROVINCE_GDP } from "./provinceGdp";
export { HS_CONCORDANCE } from "./hsConcordance";
export { FIRMS } from "./firms";

/** Synthetic file name → schema. */
export { SCHEMA_BY_FILE } from "./by-file";
