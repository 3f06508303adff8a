// The ESSGlobal controlled vocabularies (RIPESS, http://purl.org/essglobal/standard/), with
// English, French and Spanish labels. Hand-maintained data, read through crdt/codes.h.
//
// Source: the SKOS files in ../shared/vocab/essglobal/ (copied from
// essglobal-linked-open-data/map-sse at fcb6853352d375e45a485a00400375c3d80c6ae9,
// vocabs/standard/*.skos; see SOURCE.md there):
//   activities.skos                  -> kActivities       a01..a21
//   organisational-structure.skos    -> kOrgStructures    OS10..OS240
//   legal-form.skos                  -> kLegalForms       L1..L5
//   qualifiers.skos                  -> kQualifiers       q01..q09 and narrower concepts
//   base-membership-type.skos        -> kBaseMemberships  BMT10..BMT60
//   themes.skos                      -> kThemes           T1..T19
// The product never reads those files: this table is the copy it carries.
//
// Codes are the concepts' URI fragments, exactly as published (case-sensitive), so that an
// exported code resolves to its ESSGlobal URI: a01 is
// http://purl.org/essglobal/standard/activities/a01. The narrower qualifiers have no q-number
// in ESSGlobal; their fragment is their code ("Organic", "Fairtrade"; "Agroextrativism" keeps
// the source's spelling, as it is part of the URI).
//
// Labels are the SKOS prefLabels, trimmed, with these corrections of evident errors:
//   a02 es "Mineria"                          -> "Minería"
//   a03 en "Craftmanship..."                  -> "Craftsmanship..."
//   a03 fr "Artisanat et manifacturier"       -> "Artisanat et industrie manufacturière"
//   a04 fr "production et..."                 -> "Production et..."
//   a05 es "Reciclage, tratamento de basura, ciclo de agua y retauración ecologica"
//          (half Portuguese)                  -> "Reciclaje, tratamiento de residuos, ciclo del
//                                                agua y restauración ecológica"
//   a05 fr "... et la restauration écologique" -> "... et restauration écologique"
//   a06 es "trabajos publicos"                -> "trabajos públicos"
//   a09 es "Restauracion y hosteleria"        -> "Restauración y hostelería"
//   a11 es "... y relacionados"               -> "... y relacionadas" (agrees with actividades)
//   a12 es "Hábitat y la vivienda"            -> "Hábitat y vivienda"
//   a14 fr "Administration et mangement..."   -> "Administration et gestion..."
//   a20 es "Actividades domesticas e de auto-producción" -> "Actividades domésticas y de
//                                                autoproducción"
//   L5  en "Social Entreprise"                -> "Social Enterprise"
//   Agroextrativism en label                  -> "Agroextractivism"
//   T1  fr "... droit a l'habitation"         -> "... droit au logement"
//   T2  en "Food souvereignty and peasant's farming agriculture" -> "Food sovereignty and
//                                                peasant agriculture"
//   T6  es "Politicas Publicas"               -> "Políticas Públicas"
//   T7  fr "culture et..."                    -> "Culture et..."
//   T8  fr "Education populaire..."           -> "Éducation populaire..."
//   T8  es "Educacion y asesoria popular"     -> "Educación y asesoría popular"
//   T15 es "(nacional y internacional)"       -> "(nacional e internacional)"
// Capitalization is the source's, mid-label capitals included ("Informal Group").
//
// Labels marked "// ours" are translations this project supplies where the SKOS has none
// (DOMAIN.md, "the project must supply missing FR/ES labels"). They follow the usage of the
// co-operative movements of Quebec, France and Latin America: "coopérative de travail",
// "organisme à but non lucratif", "cooperativa de trabajo", "sin fines de lucro".

#include "crdt/codes_data.h"

namespace nanse::codes::data {
namespace {

constexpr VocabularyRow kActivityRows[] = {
    {"a01", "Agriculture and environment", "Agriculture et environnement",
     "Agricultura y medio ambiente"},
    {"a02", "Mining and quarrying", "Mines et carrières", "Minería y canteras"},
    {"a03", "Craftsmanship and manufacturing", "Artisanat et industrie manufacturière",
     "Producción industrial y artesanal"},
    {"a04", "Energy production and distribution", "Production et distribution de l'énergie",
     "Producción y distribución de energía"},
    {"a05", "Recycling, waste treatment, water cycle and ecological restoration",
     "Recyclage, traitement des déchets, cycle de l'eau et restauration écologique",
     "Reciclaje, tratamiento de residuos, ciclo del agua y restauración ecológica"},
    {"a06", "Construction, public works and refurbishing",
     "Construction, travaux publics et remise à neuf",
     "Construcción, trabajos públicos y restauración"},
    {"a07", "Trade and distribution", "Commerce et distribution",
     "Distribución y comercialización"},
    {"a08", "Transport, logistics and storage", "Transport, logistique et entreposage",
     "Transporte, logística y almacenamiento"},
    {"a09", "Hospitality and food service activities", "Restauration, hôtellerie, catering",
     "Restauración y hostelería"},
    {"a10", "Information, communication and technologies",
     "Information, communication et technologies", "Información, comunicación y tecnologías"},
    {"a11", "Financial, insurance and related activities",
     "Finance, assurance et activités connexes",
     "Actividades financieras, de seguros y relacionadas"},
    {"a12", "Habitat and housing", "Habitat et logement", "Hábitat y vivienda"},
    {"a13", "Professional, scientific and technical activities",
     "Activités professionnelles, scientifiques et techniques",
     "Actividades profesionales, científicas y técnicas"},
    {"a14", "Administration and management, tourism, rentals",
     "Administration et gestion, tourisme et location",
     "Administración y gestión, el turismo y alquiler"},
    {"a15", "Public administration and social security",
     "Administration publique et sécurité sociale", "Administración pública y seguridad social"},
    {"a16", "Education and training", "Éducation et formation", "Educación y formación"},
    {"a17", "Social services, health and employment", "Services sociaux et santé",
     "Servicios sociales, salud y empleo"},
    {"a18", "Arts, culture, recreation and sports", "Art, culture, loisirs et sports",
     "Arte, cultura, recreación y deporte"},
    {"a19", "Membership activities, repairing and wellness",
     "Activités associatives, réparation et bien-être",  // ours
     "Actividades de organización social, mutualización y reparación"},
    {"a20", "Household activities, self-production, domestic work",
     "Activités des ménages, autoproduction, travail domestique",  // ours
     "Actividades domésticas y de autoproducción"},
    {"a21", "International diplomacy and cooperation",
     "Diplomatie et coopération internationales",  // ours
     "Diplomacia internacional y cooperación"},
};

// French and Spanish: all ours (the SKOS has English only).
constexpr VocabularyRow kOrgStructureRows[] = {
    {"OS10", "Community group (formal or informal)", "Groupe communautaire (formel ou informel)",
     "Grupo comunitario (formal o informal)"},
    {"OS20", "Not-for-profit organisation", "Organisme à but non lucratif",
     "Organización sin fines de lucro"},
    {"OS30", "Social enterprise", "Entreprise sociale", "Empresa social"},
    {"OS40", "Charity", "Organisme de bienfaisance", "Organización benéfica"},
    {"OS50", "Company (Other)", "Entreprise (autre)", "Empresa (otra)"},
    {"OS60", "Workers co-operative", "Coopérative de travail", "Cooperativa de trabajo"},
    {"OS70", "Housing co-operative", "Coopérative d'habitation", "Cooperativa de vivienda"},
    {"OS80", "Consumer/User coop", "Coopérative de consommateurs ou d'usagers",
     "Cooperativa de consumidores o usuarios"},
    {"OS90", "Producer co-operative", "Coopérative de producteurs", "Cooperativa de productores"},
    {"OS100", "Multi-stakeholder co-operative", "Coopérative multipartite",
     "Cooperativa multiactor"},
    {"OS110", "Secondary co-operative", "Coopérative de second degré",
     "Cooperativa de segundo grado"},
    {"OS115", "Co-operative", "Coopérative", "Cooperativa"},
    {"OS120", "Community Interest Company (CIC)", "Société d'intérêt communautaire (CIC)",
     "Sociedad de interés comunitario (CIC)"},
    {"OS130", "Community Benefit Society / Industrial and Provident Society (IPS)",
     "Société d'intérêt collectif / société industrielle et de prévoyance (IPS)",
     "Sociedad de beneficio comunitario / sociedad industrial y de previsión (IPS)"},
    {"OS140", "Employee trust", "Fiducie d'employés", "Fideicomiso de los trabajadores"},
    {"OS150", "Self-employed", "Travailleur autonome", "Trabajador por cuenta propia"},
    {"OS160", "Unincorporated", "Sans personnalité morale", "Sin personalidad jurídica"},
    {"OS170", "Mutual", "Mutuelle", "Mutual"},
    {"OS180", "National apex", "Organisation faîtière nationale",
     "Organismo nacional de integración"},
    {"OS190", "National sectoral federation or union", "Fédération ou union sectorielle nationale",
     "Federación o unión sectorial nacional"},
    {"OS200", "Regional, state or provincial level federation or union",
     "Fédération ou union régionale, d'État ou provinciale",
     "Federación o unión regional, estatal o provincial"},
    {"OS210", "Cooperative group", "Groupe coopératif", "Grupo cooperativo"},
    {"OS220", "Government agency/body", "Organisme gouvernemental ou public",
     "Organismo o entidad gubernamental"},
    {"OS230", "Supranational", "Organisme supranational", "Organismo supranacional"},
    {"OS240", "Cooperative of cooperatives / mutuals",
     "Coopérative de coopératives ou de mutuelles", "Cooperativa de cooperativas o mutuales"},
};

constexpr VocabularyRow kLegalFormRows[] = {
    {"L1", "Informal Group", "Groupe informel" /* ours */, "Grupo Informal"},
    {"L2", "Cooperative", "Coopérative" /* ours */, "Cooperativa"},
    {"L3", "Company", "Entreprise", "Empresa"},
    {"L4", "Non-Profit Organisation", "Organisme à but non lucratif" /* ours */,
     "Organización sin fines de lucro" /* ours */},
    {"L5", "Social Enterprise", "Entreprise sociale" /* ours */, "Empresa Social"},
};

// French and Spanish: all ours (the SKOS has English only). Each narrower concept follows its
// broader q code, as in the SKOS.
constexpr VocabularyRow kQualifierRows[] = {
    {"q01", "Ecologically or Environmentally Sustainable",
     "Durable sur le plan écologique ou environnemental", "Sostenible en lo ecológico o ambiental"},
    {"Agroecological", "Agroecological", "Agroécologique", "Agroecológico"},
    {"Agroextrativism", "Agroextractivism", "Agroextractivisme", "Agroextractivismo"},
    {"Animalwelfare", "Animal Welfare", "Bien-être animal", "Bienestar animal"},
    {"Madefromrecycledorrecoveredmaterial", "Made from Recycled or Recovered Material",
     "Fabriqué à partir de matériaux recyclés ou récupérés",
     "Elaborado con materiales reciclados o recuperados"},
    {"Naturalcosmeticsandherbalmedicines", "Natural Cosmetics and Herbal Medicines",
     "Cosmétiques naturels et remèdes à base de plantes",
     "Cosméticos naturales y medicina herbolaria"},
    {"Organic", "Organic", "Biologique", "Orgánico"},
    {"q02", "Democratic and decent working conditions",
     "Conditions de travail démocratiques et décentes",
     "Condiciones de trabajo democráticas y decentes"},
    {"Selfmanagement", "Self-management", "Autogestion", "Autogestión"},
    {"q03", "Socially fair", "Socialement équitable", "Socialmente justo"},
    {"Socialinsertioninitiatives", "Social insertion initiatives",
     "Initiatives d'insertion sociale", "Iniciativas de inserción social"},
    {"q04", "Economically democratic and sovereign", "Économiquement démocratique et souverain",
     "Económicamente democrático y soberano"},
    {"Fairtrade", "Fair trade", "Commerce équitable", "Comercio justo"},
    {"LocalorFromCommunity", "Local or From Community", "Local ou issu de la communauté",
     "Local o de la comunidad"},
    {"q05", "Gender Equity", "Équité entre les genres", "Equidad de género"},
    {"q06", "From original / indigenous people or traditional communities",
     "Issu de peuples premiers ou autochtones ou de communautés traditionnelles",
     "De pueblos originarios o indígenas o de comunidades tradicionales"},
    {"FromOriginalorIndigenousPeople", "From Original or Indigenous People",
     "Issu de peuples premiers ou autochtones", "De pueblos originarios o indígenas"},
    {"PeasantorFamilyAgriculture", "Peasant or Family Agriculture",
     "Agriculture paysanne ou familiale", "Agricultura campesina o familiar"},
    {"q07", "Commons and free knowledge/free culture", "Communs et savoirs libres/culture libre",
     "Bienes comunes y conocimiento libre/cultura libre"},
    {"FreeCulture", "Free Culture", "Culture libre", "Cultura libre"},
    {"FreeKnowledgeorSoftware", "Free Knowledge or Software", "Savoirs ou logiciels libres",
     "Conocimiento o software libre"},
    {"q08", "Handicraft", "Artisanat", "Artesanía"},
    {"q09", "Coop Promoter/Supporter", "Promotion et soutien des coopératives",
     "Promoción y apoyo a las cooperativas"},
};

// French and Spanish: all ours (the SKOS has English only).
constexpr VocabularyRow kBaseMembershipRows[] = {
    {"BMT10", "Consumer/Users", "Consommateurs ou usagers", "Consumidores o usuarios"},
    {"BMT20", "Producers", "Producteurs", "Productores"},
    {"BMT30", "Workers", "Travailleurs", "Trabajadores"},
    {"BMT40", "Multi-stakeholders", "Multipartite", "Multiactor"},
    {"BMT50", "Residents", "Résidents", "Residentes"},
    {"BMT60", "Others", "Autres", "Otros"},
};

constexpr VocabularyRow kThemeRows[] = {
    {"T1", "Transition towns and housing rights", "Villes en transition et droit au logement",
     "Ciudades en transición y derecho a la vivienda"},
    {"T2", "Food sovereignty and peasant agriculture",
     "Souveraineté alimentaire et Agriculture paysanne",
     "Soberanía alimentaria y Agricultura campesina"},
    {"T3", "Social and solidarity finances", "Finances Solidaires", "Finanzas Solidarias"},
    {"T4", "Concepts and values related to Solidarity Economy",
     "Concepts et valeurs sur l'Économie Solidaire",
     "Conceptos y valores sobre Economía Solidaria"},
    {"T5", "Environment and commons", "Environnement et biens communs",
     "Medio ambiente y bienes comunes"},
    {"T6", "Public policies", "Politiques Publiques", "Políticas Públicas"},
    {"T7", "Free culture and knowledge", "Culture et connaissances (savoirs) libres",
     "Cultura y conocimiento libres"},
    {"T8", "Popular education and training", "Éducation populaire et apprentissage",
     "Educación y asesoría popular"},
    {"T9", "Solidarity and Responsible production, commerce and consumption",
     "Production, Commerce et consommation solidaires et responsables",
     "Producción, Comercialización y consumo solidarios y responsables"},
    {"T10", "Territorial development and \"Bien Vivir\"", "Développement territorial et bien vivir",
     "Desarrollo territorial y Bien Vivir"},
    {"T11", "International Cooperation", "Coopération internationale", "Cooperación internacional"},
    {"T12", "Social Justice and insertion and fight against poverty",
     "Justice et insertion sociales et combat contre la pauvreté",
     "Justicia e inserción social y lucha contra la pobreza"},
    {"T13", "Decent work and Self-Management", "Travail décent/digne et Autogestion",
     "Trabajo decente/digno y Autogestión"},
    {"T14", "Women", "Femmes", "Mujeres"},
    {"T15", "SSE movement organizing and networking (national and international)",
     "Réseautage et Organisation du mouvement de l'ÉSS (national et international)",
     "Redes y organización del movimiento de ESS (nacional e internacional)"},
    {"T16", "Research and technology", "Technologie et recherche", "Tecnología e investigación"},
    {"T17", "Indigenous peoples and communities", "Peuples et Communautés traditionnels/indigènes",
     "Pueblos y comunidades tradicionales/originarias"},
    {"T18", "Alternative communication and information",
     "Communication et information alternatives", "Comunicación e información alternativas"},
    {"T19", "Other themes", "Autres thématiques", "Otros temas"},
};

}  // namespace

const std::span<const VocabularyRow> kActivities{kActivityRows};
const std::span<const VocabularyRow> kOrgStructures{kOrgStructureRows};
const std::span<const VocabularyRow> kLegalForms{kLegalFormRows};
const std::span<const VocabularyRow> kQualifiers{kQualifierRows};
const std::span<const VocabularyRow> kBaseMemberships{kBaseMembershipRows};
const std::span<const VocabularyRow> kThemes{kThemeRows};

}  // namespace nanse::codes::data
