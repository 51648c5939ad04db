import type { Schema } from "../schema";
import { ALIBABA_MEMBERS } from "./alibaba";
import { CENSUS } from "./census";
import { CITIES } from "./cities";
import { CITY_YEARBOOK } from "./yearbook";
import { CPI_CATEGORIES } from "./cpiCategories";
import { CUSTOMS } from "./customs";
import { DIGITAL_SHIFTS } from "./digitalShifts";
import { GOV_REPORTS } from "./govReports";
import { HISTORY_1984 } from "./history1984";
import { NATIONAL_SERIES } from "./national";
import { PRODUCTS } from "./products";
import { PROVINCE_GDP } from "./provinceGdp";
import { HS_CONCORDANCE } from "./hsConcordance";
import { SIGMA_HS3 } from "./sigma";
import { FIRMS } from "./firms";

export const SCHEMA_BY_FILE: Readonly<Record<string, Schema>> = {
  "customs.parquet": CUSTOMS,
  "census_2004.csv": CENSUS,
  "census_2008.csv": CENSUS,
  "alibaba_members.csv": ALIBABA_MEMBERS,
  "city_yearbook.csv": CITY_YEARBOOK,
  "history_1984.csv": HISTORY_1984,
  "gov_reports.csv": GOV_REPORTS,
  "cpi_categories.csv": CPI_CATEGORIES,
  "sigma_hs3.csv": SIGMA_HS3,
  "products.csv": PRODUCTS,
  "national_series.csv": NATIONAL_SERIES,
  "cities.csv": CITIES,
  "digital_shifts.csv": DIGITAL_SHIFTS,
  "province_gdp.csv": PROVINCE_GDP,
  "hs_concordance.csv": HS_CONCORDANCE,
  "firms.csv": FIRMS,
};
