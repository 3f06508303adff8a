// Tests of crdt/codes: ISO tables generated from iso-codes, BCP 47 tags, ESSGlobal vocabularies.
#include "crdt/codes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace nanse::codes {
namespace {

const std::vector<std::string_view> kCaribbean = {
    "AG", "AI", "AW", "BB", "BL", "BQ", "BS", "BZ", "CU", "CW", "DM", "DO", "GD", "GP", "GY", "HT",
    "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "PR", "SR", "SX", "TC", "TT", "VC", "VG", "VI"};

TEST(CodesCountry, KnownAndUnknown) {
  for (std::string_view code : {"CA", "US", "MX", "JM", "HT", "PR", "CU", "DO", "TT", "FR"}) {
    EXPECT_TRUE(IsCountry(code)) << code;
  }
  for (std::string_view code : {"XX", "ZZ", "ca", "Ca", "C", "CAN", "", "C-", "UK"}) {
    EXPECT_FALSE(IsCountry(code)) << code;
  }
}

TEST(CodesCountry, NamesInThreeLanguages) {
  EXPECT_EQ(CountryName("MX", "es"), "México");
  EXPECT_EQ(CountryName("MX", "en"), "Mexico");
  EXPECT_EQ(CountryName("HT", "fr"), "Haïti");
  EXPECT_EQ(CountryName("HT", "es"), "Haití");
  EXPECT_EQ(CountryName("US", "fr"), "États-Unis");
  EXPECT_EQ(CountryName("CA", "fr"), "Canada");
  EXPECT_EQ(CountryName("JM", "es"), "Jamaica");
  // The short common name, not "Bolivia, Plurinational State of".
  EXPECT_EQ(CountryName("BO", "en"), "Bolivia");
  // A label language is its primary subtag; anything else is English.
  EXPECT_EQ(CountryName("MX", "es-MX"), "México");
  EXPECT_EQ(CountryName("MX", "ES"), "México");
  EXPECT_EQ(CountryName("MX", "de"), "Mexico");
  EXPECT_EQ(CountryName("MX", ""), "Mexico");
  EXPECT_EQ(CountryName("XX", "en"), "");
  EXPECT_EQ(CountryName("mx", "en"), "");
}

TEST(CodesCountry, EveryCountryHasNames) {
  // Every two-letter code either is a country with three non-empty names or has none.
  int countries = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      std::string code{a, b};
      if (!IsCountry(code)) {
        EXPECT_EQ(CountryName(code, "en"), "") << code;
        continue;
      }
      ++countries;
      for (std::string_view lang : {"en", "fr", "es"}) {
        EXPECT_FALSE(CountryName(code, lang).empty()) << code << " " << lang;
      }
    }
  }
  EXPECT_EQ(countries, 249);  // iso-codes 4.15; a newer release may add one
}

TEST(CodesRegion, CaribbeanCountriesAreCountries) {
  for (std::string_view code : kCaribbean) {
    EXPECT_TRUE(IsCountry(code)) << code;
    EXPECT_EQ(RegionOf(code), "caribbean") << code;
  }
}

TEST(CodesRegion, ExactlyTheListedCodesAreCaribbean) {
  std::set<std::string_view> listed(kCaribbean.begin(), kCaribbean.end());
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      std::string code{a, b};
      EXPECT_EQ(RegionOf(code) == "caribbean", listed.count(code) == 1) << code;
    }
  }
}

TEST(CodesRegion, NorthAmericaAndOther) {
  EXPECT_EQ(RegionOf("CA"), "canada");
  EXPECT_EQ(RegionOf("US"), "us");
  EXPECT_EQ(RegionOf("MX"), "mexico");
  EXPECT_EQ(RegionOf("FR"), "other");
  EXPECT_EQ(RegionOf("BM"), "other");  // Atlantic
  EXPECT_EQ(RegionOf("GF"), "other");
  EXPECT_EQ(RegionOf("VE"), "other");
  EXPECT_EQ(RegionOf("XX"), "other");
  EXPECT_EQ(RegionOf(""), "other");
}

TEST(CodesRegion, PuertoRicoEitherWay) {
  // ISO lists Puerto Rico both as a country (PR) and as a subdivision of the US (US-PR).
  EXPECT_TRUE(IsCountry("PR"));
  EXPECT_TRUE(IsSubdivision("US-PR"));
  EXPECT_TRUE(IsSubdivisionOf("US", "US-PR"));
  EXPECT_FALSE(IsSubdivisionOf("PR", "US-PR"));
  EXPECT_EQ(SubdivisionName("US-PR", "en"), "Puerto Rico");
  EXPECT_EQ(SubdivisionName("US-PR", "fr"), "Porto Rico");
  EXPECT_EQ(SubdivisionName("US-PR", "es"), "Puerto Rico");
  EXPECT_FALSE(CountryRequiresSubdivision("PR"));
  EXPECT_EQ(RegionOf("PR"), "caribbean");
  EXPECT_EQ(RegionOf("US"), "us");
  // Recorded as a US member with subdivision US-PR, it still counts as Caribbean.
  EXPECT_EQ(RegionOf("US", "US-PR"), "caribbean");
  EXPECT_EQ(RegionOf("US", "US-VI"), "caribbean");
  EXPECT_EQ(RegionOf("US", "US-NY"), "us");
  EXPECT_EQ(RegionOf("US", ""), "us");
  EXPECT_EQ(RegionOf("US", "US-XX"), "us");
  EXPECT_EQ(RegionOf("PR", ""), "caribbean");
  // The subdivision must belong to the country.
  EXPECT_EQ(RegionOf("CA", "US-PR"), "canada");
}

TEST(CodesRegion, CaribbeanSubdivisionsOfFranceAndTheNetherlands) {
  for (std::string_view code : {"FR-971", "FR-972", "FR-GP", "FR-MQ", "FR-BL", "FR-MF"}) {
    EXPECT_TRUE(IsSubdivision(code)) << code;
    EXPECT_EQ(RegionOf("FR", code), "caribbean") << code;
  }
  for (std::string_view code : {"NL-AW", "NL-CW", "NL-SX", "NL-BQ1", "NL-BQ2", "NL-BQ3"}) {
    EXPECT_TRUE(IsSubdivision(code)) << code;
    EXPECT_EQ(RegionOf("NL", code), "caribbean") << code;
  }
  EXPECT_EQ(RegionOf("FR", "FR-973"), "other");  // French Guiana
  EXPECT_EQ(RegionOf("FR", "FR-75"), "other");
}

TEST(CodesSubdivision, KnownAndUnknown) {
  for (std::string_view code : {"CA-QC", "CA-ON", "US-NY", "US-DC", "MX-OAX", "MX-CMX", "JM-01",
                                "HT-OU", "CU-03", "FR-2A", "NL-BQ1"}) {
    EXPECT_TRUE(IsSubdivision(code)) << code;
  }
  for (std::string_view code :
       {"CA-ZZ", "CA-qc", "ca-QC", "CA", "CA-", "CAQC", "XX-QC", "US-NYC", "", "-QC", "CA-QC "}) {
    EXPECT_FALSE(IsSubdivision(code)) << code;
  }
}

TEST(CodesSubdivision, Names) {
  EXPECT_EQ(SubdivisionName("CA-QC", "fr"), "Québec");
  EXPECT_EQ(SubdivisionName("CA-QC", "en"), "Quebec");
  EXPECT_EQ(SubdivisionName("CA-BC", "fr"), "Colombie-Britannique");
  EXPECT_EQ(SubdivisionName("CA-BC", "es"), "Columbia Británica");
  // iso-codes misspells these; gen_codes.py carries the official French names.
  EXPECT_EQ(SubdivisionName("CA-NB", "fr"), "Nouveau-Brunswick");
  EXPECT_EQ(SubdivisionName("CA-PE", "fr"), "Île-du-Prince-Édouard");
  EXPECT_EQ(SubdivisionName("CA-NT", "fr"), "Territoires du Nord-Ouest");
  EXPECT_EQ(SubdivisionName("MX-OAX", "es"), "Oaxaca");
  EXPECT_EQ(SubdivisionName("MX-OAX", "fr"), "Oaxaca");
  EXPECT_EQ(SubdivisionName("MX-OAX", "en"), "Oaxaca");
  EXPECT_EQ(SubdivisionName("MX-NLE", "es"), "Nuevo León");
  EXPECT_EQ(SubdivisionName("US-NY", "es"), "Nueva York");
  // No translation in iso_3166-2.mo: the country's ("Martinique" is also a country).
  EXPECT_EQ(SubdivisionName("FR-972", "es"), "Martinica");
  EXPECT_EQ(SubdivisionName("CA-ZZ", "fr"), "");
}

TEST(CodesSubdivision, RequiredExactlyForCanadaUsMexico) {
  EXPECT_TRUE(CountryRequiresSubdivision("CA"));
  EXPECT_TRUE(CountryRequiresSubdivision("US"));
  EXPECT_TRUE(CountryRequiresSubdivision("MX"));
  for (std::string_view code : {"JM", "HT", "PR", "CU", "FR", "ca", "XX", ""}) {
    EXPECT_FALSE(CountryRequiresSubdivision(code)) << code;
  }
}

TEST(CodesSubdivision, SubdivisionsOf) {
  std::vector<std::string_view> ca = SubdivisionsOf("CA");
  ASSERT_EQ(ca.size(), 13u);  // 10 provinces, 3 territories
  EXPECT_EQ(ca.front(), "CA-AB");
  EXPECT_EQ(ca.back(), "CA-YT");
  EXPECT_EQ(SubdivisionsOf("MX").size(), 32u);  // 31 states and Mexico City
  std::vector<std::string_view> us = SubdivisionsOf("US");
  EXPECT_EQ(us.size(), 57u);  // 50 states, DC and 6 outlying areas
  for (std::string_view code : us) {
    EXPECT_TRUE(IsSubdivisionOf("US", code)) << code;
  }
  EXPECT_TRUE(SubdivisionsOf("XX").empty());
  EXPECT_TRUE(SubdivisionsOf("ca").empty());
}

TEST(CodesSubdivision, SubdivisionOfTheRightCountry) {
  EXPECT_TRUE(IsSubdivisionOf("CA", "CA-QC"));
  EXPECT_FALSE(IsSubdivisionOf("US", "CA-QC"));
  EXPECT_FALSE(IsSubdivisionOf("CA", "CA-ZZ"));
  EXPECT_FALSE(IsSubdivisionOf("C", "CA-QC"));
  EXPECT_FALSE(IsSubdivisionOf("", ""));
}

TEST(CodesCurrency, Exponents) {
  EXPECT_EQ(CurrencyExponent("USD"), 2);
  EXPECT_EQ(CurrencyExponent("CAD"), 2);
  EXPECT_EQ(CurrencyExponent("MXN"), 2);
  EXPECT_EQ(CurrencyExponent("HTG"), 2);
  EXPECT_EQ(CurrencyExponent("JMD"), 2);
  EXPECT_EQ(CurrencyExponent("XCD"), 2);
  EXPECT_EQ(CurrencyExponent("DOP"), 2);
  EXPECT_EQ(CurrencyExponent("CUP"), 2);
  EXPECT_EQ(CurrencyExponent("EUR"), 2);
  EXPECT_EQ(CurrencyExponent("JPY"), 0);
  EXPECT_EQ(CurrencyExponent("KRW"), 0);
  EXPECT_EQ(CurrencyExponent("CLP"), 0);
  EXPECT_EQ(CurrencyExponent("XOF"), 0);
  EXPECT_EQ(CurrencyExponent("XAF"), 0);
  EXPECT_EQ(CurrencyExponent("BHD"), 3);
  EXPECT_EQ(CurrencyExponent("KWD"), 3);
  EXPECT_EQ(CurrencyExponent("TND"), 3);
  EXPECT_EQ(CurrencyExponent("CLF"), 4);
  EXPECT_EQ(CurrencyExponent("UYW"), 4);
}

TEST(CodesCurrency, UnknownAndNotMoney) {
  for (std::string_view code : {"XYZ", "usd", "US", "USDD", "", "XAU", "XDR", "XTS", "XXX"}) {
    EXPECT_EQ(CurrencyExponent(code), std::nullopt) << code;
  }
}

TEST(CodesLanguage, ValidTags) {
  for (std::string_view tag : {"en",
                               "fr",
                               "es",
                               "fr-CA",
                               "es-419",
                               "es-MX",
                               "zh-Hant-TW",
                               "zh-Hans",
                               "ht",
                               "ht-HT",
                               "pap",
                               "pap-CW",
                               "jam",
                               "srn",
                               "haw",
                               "nv",
                               "oj",
                               "cr",
                               "iu-Cans-CA",
                               "nah",
                               "zap",
                               "EN",
                               "En-Us",
                               "FR-ca",
                               "sr-Latn-RS",
                               "de-CH-1996",
                               "sl-rozaj-biske",
                               "en-US-u-ca-gregory",
                               "en-a-bbb-x-a-ccc",
                               "en-x-nanse",
                               "es-Qaaa",
                               "und",
                               "mul",
                               "sh"}) {
    EXPECT_TRUE(IsLanguageTag(tag)) << tag;
  }
}

TEST(CodesLanguage, InvalidTags) {
  for (std::string_view tag : {"",
                               "e",
                               "xx-",
                               "xx",
                               "english",
                               "en-",
                               "-en",
                               "en--US",
                               "en_US",
                               "en US",
                               "fra",
                               "fre",
                               "eng",
                               "spa",
                               "zh-yue",
                               "en-XY",
                               "en-Latx",
                               "en-12",
                               "en-123456789",
                               "en-US-US",
                               "de-1996-1996",
                               "en-u",
                               "en-u-ca-u-nu",
                               "en-x",
                               "x-foo",
                               "i-klingon",
                               "en-US-x-",
                               "en-a-b",
                               "é",
                               "en-ÉU",
                               "qaa",
                               "toolongtag-US"}) {
    EXPECT_FALSE(IsLanguageTag(tag)) << tag;
  }
}

TEST(CodesLanguage, Names) {
  EXPECT_EQ(LanguageName("en", "en"), "English");
  EXPECT_EQ(LanguageName("en", "fr"), "anglais");
  EXPECT_EQ(LanguageName("fr-CA", "en"), "French");
  EXPECT_EQ(LanguageName("fr-CA", "fr"), "français");
  EXPECT_EQ(LanguageName("es-419", "fr"), "espagnol");
  EXPECT_EQ(LanguageName("ES", "en"), "Spanish");
  EXPECT_EQ(LanguageName("ht", "en"), "Haitian");
  EXPECT_EQ(LanguageName("ht", "fr"), "haïtien");
  EXPECT_EQ(LanguageName("pap", "es"), "Papiamento");
  EXPECT_FALSE(LanguageName("fr", "es").empty());
  EXPECT_EQ(LanguageName("xx", "en"), "");
  EXPECT_EQ(LanguageName("", "en"), "");
  EXPECT_EQ(LanguageName("english", "en"), "");
}

// ---- ESSGlobal ----

constexpr Vocabulary kAll[] = {Vocabulary::kActivity,       Vocabulary::kOrgStructure,
                               Vocabulary::kLegalForm,      Vocabulary::kQualifier,
                               Vocabulary::kBaseMembership, Vocabulary::kTheme};

TEST(CodesEssGlobal, EveryCodeHasThreeLabels) {
  for (Vocabulary v : kAll) {
    std::vector<std::string_view> codes = Codes(v);
    EXPECT_FALSE(codes.empty());
    std::set<std::string_view> unique(codes.begin(), codes.end());
    EXPECT_EQ(unique.size(), codes.size()) << "duplicate code";
    for (std::string_view code : codes) {
      EXPECT_TRUE(IsCode(v, code)) << code;
      for (std::string_view lang : {"en", "fr", "es"}) {
        std::string_view label = Label(v, code, lang);
        EXPECT_FALSE(label.empty()) << code << " " << lang;
        EXPECT_EQ(label, std::string(label).substr(label.find_first_not_of(' ')))
            << "leading space: " << code << " " << lang;
        EXPECT_NE(label.back(), ' ') << code << " " << lang;
      }
    }
  }
}

TEST(CodesEssGlobal, Sizes) {
  EXPECT_EQ(Codes(Vocabulary::kActivity).size(), 21u);
  EXPECT_EQ(Codes(Vocabulary::kOrgStructure).size(), 25u);
  EXPECT_EQ(Codes(Vocabulary::kLegalForm).size(), 5u);
  EXPECT_EQ(Codes(Vocabulary::kQualifier).size(), 23u);  // q01..q09 and 14 narrower
  EXPECT_EQ(Codes(Vocabulary::kBaseMembership).size(), 6u);
  EXPECT_EQ(Codes(Vocabulary::kTheme).size(), 19u);
}

TEST(CodesEssGlobal, ActivitiesA01ToA21) {
  std::vector<std::string_view> codes = Codes(Vocabulary::kActivity);
  ASSERT_EQ(codes.size(), 21u);
  for (int i = 1; i <= 21; ++i) {
    std::string code = (i < 10 ? "a0" : "a") + std::to_string(i);
    EXPECT_TRUE(IsActivity(code)) << code;
    EXPECT_EQ(codes[i - 1], code);
  }
  EXPECT_FALSE(IsActivity("a00"));
  EXPECT_FALSE(IsActivity("a22"));
  EXPECT_FALSE(IsActivity("A01"));
  EXPECT_FALSE(IsActivity("a1"));
  EXPECT_FALSE(IsActivity(""));
}

TEST(CodesEssGlobal, Labels) {
  EXPECT_EQ(Label(Vocabulary::kActivity, "a16", "en"), "Education and training");
  EXPECT_EQ(Label(Vocabulary::kActivity, "a16", "fr"), "Éducation et formation");
  EXPECT_EQ(Label(Vocabulary::kActivity, "a16", "es-MX"), "Educación y formación");
  EXPECT_EQ(Label(Vocabulary::kActivity, "a16", "de"), "Education and training");
  EXPECT_EQ(Label(Vocabulary::kOrgStructure, "OS60", "en"), "Workers co-operative");
  EXPECT_EQ(Label(Vocabulary::kOrgStructure, "OS60", "fr"), "Coopérative de travail");
  EXPECT_EQ(Label(Vocabulary::kOrgStructure, "OS60", "es"), "Cooperativa de trabajo");
  EXPECT_EQ(Label(Vocabulary::kActivity, "OS60", "en"), "");  // wrong vocabulary
  EXPECT_EQ(Label(Vocabulary::kTheme, "T99", "en"), "");
}

TEST(CodesEssGlobal, Predicates) {
  EXPECT_TRUE(IsOrgStructure("OS10"));
  EXPECT_TRUE(IsOrgStructure("OS115"));
  EXPECT_TRUE(IsOrgStructure("OS240"));
  EXPECT_FALSE(IsOrgStructure("OS250"));
  EXPECT_FALSE(IsOrgStructure("os60"));
  EXPECT_TRUE(IsLegalForm("L1"));
  EXPECT_TRUE(IsLegalForm("L5"));
  EXPECT_FALSE(IsLegalForm("L6"));
  EXPECT_TRUE(IsQualifier("q01"));
  EXPECT_TRUE(IsQualifier("q09"));
  EXPECT_TRUE(IsQualifier("Organic"));
  EXPECT_TRUE(IsQualifier("Fairtrade"));
  EXPECT_FALSE(IsQualifier("q10"));
  EXPECT_FALSE(IsQualifier("organic"));
  EXPECT_TRUE(IsBaseMembership("BMT10"));
  EXPECT_TRUE(IsBaseMembership("BMT60"));
  EXPECT_FALSE(IsBaseMembership("BMT70"));
  EXPECT_TRUE(IsTheme("T1"));
  EXPECT_TRUE(IsTheme("T19"));
  EXPECT_FALSE(IsTheme("T20"));
  EXPECT_FALSE(IsTheme("t1"));
}

}  // namespace
}  // namespace nanse::codes
