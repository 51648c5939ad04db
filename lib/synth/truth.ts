/**
 * Every true parameter of the synthetic-China data-generating process (DGP), in one place.
 * `data/codebook/truth.json` is this object serialised (a test keeps the two identical);
 * `generate()` also writes it, with the realised scale-specific quantities, into its output.
 * Notebooks print `truth.*` next to each estimate. See `data/codebook/dgp.md` for the story.
 */
export const TRUTH = {
  version: 1,
  years: { eq: [2005, 2015], rs: [2008, 2019], yearbook: [2003, 2019], members: [2002, 2019], census: [2004, 2008] },
  eq: {
    /**
     * EQ Table 2 col 4: the DESIGN value of the effect of vagg on the city×HS4×year value-weighted normalised quality,
     * set to the published estimate (a calibration target). Built in at the cell level (exact in expectation before
     * clipping to [0,1]); the realised true value of a generated folder is truth.json → realised.eq.table2_col4.
     */
    beta_vagg: 0.3087,
    /** Control coefficients in the cell equation (not published; chosen small, so col 3 ≈ col 4). */
    gamma: { fdi: 0.15, open: 0.004, fisc: -0.05, dlp: 0.05, sci: 1.0, edu: 0.2, wage: 0.01, gdp: 0.006, fixinv: -0.01 },
    /**
     * SDs of the cell-equation components (normalised-quality units). city_year: a city × year shock
     * common to every HS4 of the city-year (independent of vagg and the controls, so β is unchanged),
     * which makes city- and province-clustered SEs exceed the city × HS4-clustered SE as in EQ
     * Table 2 vs Table 4 (0.050/0.055 vs 0.020).
     */
    sd: { city: 0.04, hs4: 0.09, cell: 0.1, city_year: 0.03 },
    intercept_target_mean: 0.581,
    /** Trade-mode gap: ordinary − processing slope difference = 0.3135 − 0.0840 (EQ Table 5), built as a within-cell offset that keeps the pooled cell mean exact. */
    mode_gap_slope: 0.3135 - 0.084,
    mode_gap_level: 0.02,
    /** Processing firms' unit cost multiplier (lowers their export value share, hence the split slopes are β + π·gap and β − (1−π)·gap with π the realised value share). */
    processing_cost_multiplier: 1.5,
    processing_firm_share: 0.3,
    intermediary_firm_share: 0.05,
    /** Pareto tail: ln(λ/λ_cut) ~ Exp(κ), κ_{c,t,h} = 1 + σ_h + kappa_excess · exp(−kappa_slope · (vagg − vagg_mean)); κ > 1 + σ always (EQ §2.2). */
    kappa_excess: 2.0,
    kappa_slope: 3.0,
    /**
     * Variety survival from one year to the next (EQ §5.1's exit margin): probability
     * survival_consecutive (survival_gap after a year without exports) + survival_quality_slope·(u − ½),
     * u = 1 − exp(−κ e) the variety's Pareto rank within its entry cohort, so exit is quality-selective
     * and the mean survival rate is the base. With κ(vagg) this is Table 7's reallocation channel.
     */
    survival_consecutive: 0.75,
    survival_gap: 0.5,
    survival_quality_slope: 0.3,
    /** Within-cell dispersion multiplier on the exponential deviation (normalised units per log-quality unit). */
    ln_lambda_per_unit: 1.0,
    /** Cost elasticity of quality in MC = C λ^α (EQ eq. 5). */
    alpha_cost: 0.9,
    /** Virtual-agglomeration elasticity of unit cost via τ_d(ϕ) (EQ eq. 4): ln C gets −cost_vagg · vagg. Does not enter quality (σ ln p absorbs cost). */
    cost_vagg: 0.5,
    /** Destination-specific pricing noise (identifies σ within firm×HS6×year) and log-quantity noise. */
    sd_price_dest: 0.1,
    sd_lnq: 0.01,
    /** HS vintages in customs: share of HS6 products whose code changed in HS2007 and HS2012 (mapped back by hs_concordance.csv), and share of rows with a code in no concordance (dropped by the pipeline). */
    hs_changed_share: 0.08,
    hs_unmapped_row_share: 0.001,
    /** Share of HS4 headings whose lines have no SNA end use in the HS–BEC concordance (products.csv bec = "unclassified"; left out of the Table 5 BEC split and counted). */
    bec_unclassified_share: 0.03,
    /** σ per HS3: drawn uniform on [sigma_min, sigma_max] (synthetic stand-in for Broda–Greenfield–Weinstein). */
    sigma_min: 2.5,
    sigma_max: 8.0,
    /** Bartik shifts: Virtual_st = vagg_scale × (a_D61 + a_D62T63 + omega_trade × a_D45T47), OECD ICIO 2021 China, year t (2019 uses 2018). vagg_scale is set so the national-output-weighted mean over 2005–2015 is 0.574 (EQ Table 1). */
    omega_trade: 0.2,
    vagg_target_mean: 0.574,
    /** Census 2004 shares: ln share_sc = ln natshare_s + share_sd·η_sc + tel_tilt·z_tel_c·b_s + post_tilt·z_post_c·b_s (b_s: standardised slope of Virtual_st on national internet investment). Not tuned to the published first-stage F (see dgp.md, Changes 3: F values by scale). */
    share_sd: 0.8,
    tel_tilt: 0.15,
    post_tilt: 0.6,
    /** Crowding (EQ Table 8 col 2): ln road area per capita = city + year + 1.0278·vagg + noise. Built in exactly at city×year. */
    road_vagg: 1.0278,
    /** Text index: count of dictionary words ~ Poisson(exp(text_a + text_b·vagg)) — emergent, not calibrated to 0.0007. */
    text_a: 0.5,
    text_b: 3.0,
    /** CPI (market segmentation): city category inflation = national + noise with sd cpi_sd0·exp(−cpi_vagg·vagg) — emergent, sign only. */
    cpi_sd0: 2.0,
    cpi_vagg: 1.5,
    /** Published numbers that are NOT built in (notebooks print them as "published", not "true"). */
    not_built_in: [
      "Table 3 IV estimates (13.776, 1.3247): instruments are valid here, so every IV estimates beta_vagg",
      "Table 6 centre/periphery and east/middle/west interactions (true interaction = 0)",
      "Table 7 Melitz–Polanec components: signs not set by hand (the kappa(vagg) channel works through entry and quality-selective exit; true values computed from the realised data, realised.eq.table7)",
      "Table 8 integ, lndiv, lnspe, coa, d_coa coefficients (emergent; only road_vagg is built in)",
      "Table 4 vagg_in, vagg_txt, firm-level and HS6-level coefficients (emergent)",
    ],
  },
  rs: {
    /** DIRECT effect of vagg_RS on the latent resilience score (index units after calibration; the paper's Table 3 col 4 is 0.0075).
     *  The Table 3 truth is the realised TOTAL effect (direct + through dist, hmp and the vagg × agg term): `realised.rs.table3`. */
    beta_vagg: 0.0075,
    /** Heterogeneity DESIGN (not the published Table 4 values): group-mean-zero deviations d_g of the direct slope, β_c = β + Σ_g d_g·(1{c ∈ g} − q_g).
     *  The realised Table 4 truths (`realised.rs.table4`) differ: the groups overlap and the channels add to every slope. */
    het_design: { old_industrial: -0.005, digital_infra_high: 0.004, urban_agglomeration: -0.001, yangtze_belt: -0.004 },
    gamma: { pop: 0.002, open: 0.001, fre: 0.002, road: 0.002, wage: 0.001, edu: 0.002 },
    sd: { city: 0.03, year: 0.001, noise: 0.001 },
    /** H2: labour misallocation. Labour wedge τ_L = labour_wedge_sd · τ_L,c · exp(labour_wedge_vagg · (vagg − v̄)) + wedge_noise_sd · ε
     *  (shrinks with vagg); capital wedge τ_K = capital_wedge_sd · τ_K,c + noise (no vagg effect: distK first step ≈ 0). */
    labour_wedge_vagg: -3.0,
    labour_wedge_sd: 0.3,
    capital_wedge_sd: 0.3,
    wedge_noise_sd: 0.05,
    /** H2: effect of misallocation dist (as the panel measures it) on the latent resilience score (index units; negative). */
    mis_resi: -0.004,
    /** H3: internet penetration (per 100) rises by internet_pen_vagg per unit of vagg_RS; with origin-side weighting this raises the city's own (external) market potential. */
    internet_pen_vagg: 8.0,
    /** H3: effect of log external market potential hmp (as the panel measures it) on the latent resilience score (index units; positive). */
    mp_resi: 0.002,
    /** H4: complementarity, agg_complement · (vagg − v̄)(agg − ā) in the latent score (agg = industrial firms per km²; positive). */
    agg_complement: 0.08,
    /** vagg_RS_ct = Σ_s LQ_sct · a_st (raw OECD coefficients), textbook LQ_sct = (m_sct / m_ct) / (M_st / M_t). Expected members
     *  λ_sct = M_t · [(1 − θ) · conc_sc · boost_sct + θ · (pop_ct / POP_t) · mix_s(u_ct) · shock_ct] (see dgp.md). */
    /** IV relevance: the diffuse mix of cities with more members in 2005 tilts faster towards digital industries: u_ct gets member_growth_iv · z(ln(1 + m_c,2005)) · ln(users_t / users_2005). */
    member_growth_iv: 0.3,
    /** θ: share of expected members that is diffuse (population × national industry mix × shock × tilt). */
    member_diffuse_share: 0.6,
    /** Transitory city × year log shocks of the diffuse part after 2005: AR(1) with this stationary SD and autocorrelation (own fork, independent of everything else). */
    member_shock_sd: 0.6,
    member_shock_ar: 0.7,
    /** SD of the normal term in the log propensity of the concentrated part (city size and region enter as well): the cross-city spread of vagg_RS. */
    member_propensity_sd: 1.5,
    /** κ: tilt of the diffuse members' industry mix towards digital-intensive industries, mix_s ∝ natshare_s · exp(κ · ã_st · u_ct),
     *  u_ct = city × year shock + IV term, ã_st the standardised digital coefficient of year t. Under the textbook LQ the mix is what moves vagg_RS within a city. */
    member_mix_tilt: 0.5,
    /** Smart-city pilot: from the pilot year on (treatment starts in the pilot year), the diffuse members' mix gets the extra tilt exp(boost · h_st),
     *  h_st the standardised log(a_st / natshare_s) — the direction that raises the textbook-LQ vagg_RS — so the pilot raises vagg_RS
     *  (positive control for the pilot DID; realised first stage in truth.json → realised.rs_did_on_vagg). */
    smart_city_member_boost: 1.0,
  },
} as const;

export type Truth = typeof TRUTH;
