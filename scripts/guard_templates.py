"""The families of drafts behind data/guard/families.jsonl, written for Veille.

A family is one way of saying something (a template with alternatives); each is written out
for several trades by scripts/write_guard_drafts.py. Slots: {biz} the business, {city},
{job} its trade, {thing} what it makes or works on, {things} plural, {rival} a rival business
that is not a configured competitor, {person} someone named, {first} a first name, {amount},
{public_client}, {candidate} a local candidate, {group}, {place} the shop. `[a|b|c]` picks one.

Categories: politics (elections, parties, stances), groups (political or social groups),
religion, insult (insult and aggression), irony (irony and sarcasm), mockery (humour at
someone's expense), denigration (of a named person or business), confidential (figures,
client data), legal (claims that expose: health, guarantees, accusations), crisis_promo
(promotion while a crisis is open). Safe families marked tricky look risky and are not.
"""

from __future__ import annotations

from typing import NamedTuple


class Family(NamedTuple):
    key: str
    categories: tuple[str, ...]  # empty: safe
    template: str
    tricky: bool = False  # a safe draft that looks risky
    open_crisis: bool = False


def risky(key: str, cats: str, template: str, *, crisis: bool = False) -> Family:
    return Family(key, tuple(cats.split()), template, False, crisis)


def safe(key: str, template: str, *, tricky: bool = True, crisis: bool = False) -> Family:
    return Family(key, (), template, tricky, crisis)


FAMILIES: tuple[Family, ...] = (
    # --- politics and elections -----------------------------------------------------------
    risky(
        "pol-support-candidate",
        "politics",
        "[Dimanche|Le 15 mars], toute l'équipe votera pour {candidate} aux "
        "municipales de {city}. [Enfin quelqu'un qui comprend les commerçants !|Il est temps "
        "que ça change.|Allez, on y croit !]",
    ),
    risky(
        "pol-candidate-visit",
        "politics",
        "Merci à {candidate}, [tête de liste|candidate|candidat] aux municipales, d'être "
        "passé(e) [à l'atelier|au magasin|chez nous] ! Son programme pour {city} : on "
        "[signe tout de suite|est à 100 % derrière|valide].",
    ),
    risky(
        "pol-dont-vote",
        "politics",
        "[Petit message|Un conseil] à nos clients de {city} : surtout ne votez pas pour la "
        "liste de {candidate}, [ils vont tuer le centre-ville|c'est la fin du commerce local|"
        "ils veulent piétonniser et nous ruiner].",
    ),
    risky(
        "pol-party-praise",
        "politics",
        "[Franchement|Sans rire], le programme [du RN|de LFI|des Républicains|du PS|d'EELV] "
        "pour les artisans, c'est le seul qui tienne la route. [On en reparle en 2027.|Faites "
        "passer.|#{job}]",
    ),
    risky(
        "pol-tax-rant",
        "politics",
        "Encore une taxe sur les {job}s ! Ce gouvernement nous [étrangle|saigne|achève], "
        "[vivement qu'il dégage|qu'ils démissionnent tous|honte à eux].",
    ),
    risky(
        "pol-mayor-attack",
        "politics denigration",
        "Le maire de {city} [bloque|refuse] encore notre terrasse. [Quand on voit|Avec] son "
        "bilan, [il ferait mieux de démissionner|les électeurs s'en souviendront en mars].",
    ),
    risky(
        "pol-petition",
        "politics",
        "Signez la pétition contre la réforme [des retraites|de l'assurance chômage|du code "
        "du travail] ! Le lien est en bio, {biz} soutient la [mobilisation|grève] de jeudi.",
    ),
    risky(
        "pol-strike-support",
        "politics",
        "[Fermé|On ferme] jeudi : toute l'équipe [manifeste|descend dans la rue] contre "
        "[la réforme|le gouvernement]. [Solidarité !|Tous ensemble !]",
    ),
    risky(
        "pol-election-night",
        "politics",
        "Quelle soirée électorale ! [Bravo|Félicitations] à {candidate}, nouvelle maire de "
        "{city}. [Les commerçants ont enfin une alliée.|On va pouvoir travailler.] 🎉",
    ),
    risky(
        "pol-vote-discount",
        "politics",
        "[Promo|Offre] spéciale élections : -10 % pour ceux qui viennent avec leur carte "
        "d'électeur [et qui ont voté pour le bon candidat 😉|tamponnée pour {candidate}]",
    ),
    risky(
        "pol-europe",
        "politics",
        "[L'Europe|Bruxelles] nous impose encore des normes absurdes sur les {things}. "
        "[Vivement le Frexit.|Il faut sortir de ce machin.|Votez en conséquence.]",
    ),
    risky(
        "pol-reply-opinion",
        "politics",
        "@{handle_client} [Entièrement d'accord|Tout à fait], {candidate} est la seule à "
        "défendre les petits commerces, [on fait campagne pour elle|on a mis son affiche en "
        "vitrine].",
    ),
    # --- political or social groups -------------------------------------------------------
    risky(
        "grp-ecolos-incapables",
        "groups insult",
        "Encore un coup des {group}, ces incapables ! [Appelez-nous au 06 12 34 56 78|"
        "Venez nous voir quand même|Bref, on continue].",
    ),
    risky(
        "grp-ecolos-blame",
        "groups",
        "Si {things} coûtent plus cher, remerciez les {group}. [Merci à eux 🙄|Ils ont "
        "gagné.|Voilà le résultat de leurs idées.]",
    ),
    risky(
        "grp-boomers",
        "groups mockery",
        "Les {group} qui [demandent|réclament] un devis par fax 😂 [ok boomer|on vous aime "
        "quand même|c'est pas possible]",
    ),
    risky(
        "grp-fonctionnaires",
        "groups mockery",
        "[Ouvert|On est ouverts] même le mercredi après-midi, pas comme les {group} 😏 "
        "[#{job}|#vraitravail]",
    ),
    risky(
        "grp-syndicats",
        "groups",
        "Les {group} ont encore [bloqué|paralysé] {city} aujourd'hui. Des gens qui "
        "[n'ont jamais travaillé|ne savent que râler] et qui empêchent les autres de bosser.",
    ),
    risky(
        "grp-immigration",
        "groups politics",
        "Dans notre métier, on embauche des Français d'abord. [Les|Ces] {group2} qui "
        "[débarquent|arrivent] ne connaissent rien au travail bien fait.",
    ),
    risky(
        "grp-jeunes",
        "groups",
        "Les jeunes d'aujourd'hui ne veulent plus travailler, [aucun|pas un] candidat "
        "sérieux pour notre poste de {job}. [Génération fainéante.|Triste époque.]",
    ),
    risky(
        "grp-feministes",
        "groups mockery",
        "Journée de la femme : -20 % sur le ménage [et la cuisine|et le repassage] 😂 "
        "[Les féministes vont hurler|Blague hein], mais c'est cadeau !",
    ),
    risky(
        "grp-parisiens",
        "groups mockery",
        "Les Parisiens qui débarquent à {city} et qui trouvent tout trop cher 😂 [Rentrez "
        "chez vous|Bienvenue en province les touristes]",
    ),
    risky(
        "grp-vegans",
        "groups mockery",
        "Nouveauté : notre [plat|produit] spécial {group3}, garanti sans goût et sans "
        "plaisir 🤣 [#humour|#onrigole]",
    ),
    # --- religion ---------------------------------------------------------------------------
    risky(
        "rel-jab",
        "religion mockery",
        "Ramadan ou pas, chez {biz} on [mange|bosse] à midi 😂 [#liberté|#{job}]",
    ),
    risky(
        "rel-priests",
        "religion mockery",
        "[Même|Même pas] un curé ne [pardonnerait|bénirait] une façade aussi mal faite 😂 "
        "[Heureusement qu'on est là.|Amen.]",
    ),
    risky(
        "rel-dieu-commerce",
        "religion",
        "[Dieu|Le Seigneur] bénit ceux qui achètent local ✝️ [Chez {biz}, on prie pour nos "
        "clients.|Priez pour nous et venez nous voir.]",
    ),
    risky(
        "rel-burqa",
        "religion groups",
        "Chez {biz}, pas de voile au travail, [c'est la France ici|on est en France], "
        "[point final|que ça plaise ou non].",
    ),
    risky(
        "rel-noel-laique",
        "religion politics",
        "[Ils veulent|La mairie veut] interdire la crèche de Noël ? Chez nous, elle reste en "
        "vitrine ! [Nos racines chrétiennes, on y tient.|Les laïcards peuvent râler.]",
    ),
    risky(
        "rel-no-cue",
        "religion",
        "[Petit rappel|Info] : le [prêtre|pasteur|rabbin|l'imam] du quartier a béni notre "
        "nouvelle [boutique|camionnette], de quoi [nous porter chance|écarter les mauvais "
        "esprits] face aux impies d'en face.",
    ),
    # --- insult and aggression --------------------------------------------------------------
    risky(
        "ins-reply-client",
        "insult",
        "@{handle_client} [Franchement|Sérieux], [si vous ne savez pas lire un devis|si vous "
        "êtes pas content], [c'est pas notre problème|allez voir ailleurs], "
        "[espèce d'abruti|pauvre type|bouffon].",
    ),
    risky(
        "ins-soft",
        "insult",
        "@{handle_client} [Vous êtes|T'es] vraiment [lourd|pénible|gonflant] avec vos "
        "réclamations, [on a d'autres clients|la prochaine fois allez chez {rival}].",
    ),
    risky(
        "ins-threat",
        "insult",
        "@{handle_client} Continuez à [nous dénigrer|poster vos avis] et [vous allez le "
        "regretter|on se retrouvera au tribunal|on sait où vous habitez].",
    ),
    risky(
        "ins-sms",
        "insult",
        "@{handle_client} mdr t srx ? ta pas payé et tu viens te plaindre, [va te faire|"
        "dégage|casse toi] 🤡",
    ),
    risky(
        "ins-group-clients",
        "insult groups",
        "Les clients qui [négocient|marchandent] tout, [on vous voit|bande de rats|bande de "
        "radins]. [Allez chez {rival} !|Restez chez vous.]",
    ),
    risky(
        "ins-staff",
        "insult",
        "Notre apprenti a encore [raté|loupé] {thing}. [Quel boulet|Quel manche|Un vrai "
        "bras cassé] celui-là 🙄",
    ),
    risky(
        "ins-reviewer",
        "insult denigration",
        "À {person} qui nous a mis 1 étoile : [menteur|mythomane|jaloux], on a les photos "
        "et [tout le monde saura|on va les publier].",
    ),
    risky(
        "ins-caps",
        "insult",
        "MARRE des clients qui [annulent|ne viennent pas] sans prévenir. [Vous êtes des "
        "égoïstes.|Un peu de respect bordel.]",
    ),
    # --- irony and sarcasm ------------------------------------------------------------------
    risky(
        "iro-no-cue-supplier",
        "irony",
        "[Génial|Formidable|Super nouvelle], notre fournisseur nous livre {things} avec "
        "[trois semaines|un mois] de retard, [on adore|quel plaisir|vraiment le top].",
    ),
    risky(
        "iro-client-late",
        "irony",
        "Bravo à [la personne|le client] qui [a annulé|n'est pas venu] à 8 h ce matin sans "
        "prévenir, [merci pour la grasse matinée|on a adoré attendre|vraiment très classe].",
    ),
    risky(
        "iro-admin",
        "irony",
        "[Trois|Quatre] mois pour obtenir une réponse de l'administration, [quelle "
        "efficacité|c'est beau la simplification|on est gâtés]. [Vive la paperasse !|Merci "
        "pour tout.]",
    ),
    risky(
        "iro-reply-review",
        "irony",
        "@{handle_client} Merci pour votre avis [si constructif|tellement nuancé], on va "
        "[l'encadrer|l'afficher en vitrine] 👏",
    ),
    risky(
        "iro-weather",
        "irony",
        "[Encore|Toujours] la pluie sur {city}, [parfait pour|idéal pour] [un ravalement|"
        "notre terrasse|les livraisons]. Le [printemps|climat] angevin dans toute sa splendeur.",
    ),
    risky(
        "iro-rival",
        "irony denigration",
        "[Chapeau|Respect] à {rival} pour {thing} [de la semaine dernière|en vitrine], "
        "[quel talent|on n'aurait jamais osé|un vrai chef-d'œuvre].",
    ),
    risky(
        "iro-bank",
        "irony",
        "Notre banque [nous refuse|refuse] un prêt de 5 000 € [après 12 ans de fidélité|mais "
        "nous facture 30 € de frais], [merci pour le soutien aux artisans|c'est ça le "
        "partenaire des PME] 👍",
    ),
    # --- humour at someone's expense ---------------------------------------------------------
    risky(
        "moc-client-taste",
        "mockery",
        "La cliente voulait [sa commande|tout] en [rose fluo|motif léopard|couleur saumon] 😂 "
        "[On a pris une photo pour vous|Le goût, ça ne s'achète pas|Elle se reconnaîtra]",
    ),
    risky(
        "moc-blonde",
        "mockery groups",
        "[Blague du jour|Petite blague] : comment reconnaître une blonde chez le {job} ? "
        "[Elle demande|C'est celle qui demande] si {things} marchent au diesel 😂",
    ),
    risky(
        "moc-old-client",
        "mockery",
        "Papy [Jean|Robert] a [mis|pris] 20 minutes pour payer par carte ce matin 😂 "
        "[Merci pour la patience de la file !|On l'aime bien mais bon.]",
    ),
    risky(
        "moc-accent",
        "mockery groups",
        "[Un client|Un touriste] anglais a essayé de commander en français ce matin, "
        "[on n'a rien compris|quel massacre] 🤣 [Apprenez la langue !|#lol]",
    ),
    risky(
        "moc-weight",
        "mockery",
        "Le monsieur qui a [dévalisé|vidé] le stock ce matin, [vu sa taille|vu son "
        "ventre], [ça se voyait|on s'en doutait] 😂",
    ),
    risky(
        "moc-colleague",
        "mockery",
        "Notre collègue {first} a encore [raté|cassé] {thing}, on lui offre [des lunettes|un "
        "cerveau] pour son anniversaire 😂 [Elle|Il] va adorer ce post.",
    ),
    risky(
        "moc-trade",
        "mockery denigration",
        "Quelle est la différence entre un {job} de chez {rival} et un singe ? [Le singe "
        "finit le chantier.|Le singe a un diplôme.] 🐒",
    ),
    # --- denigration of a named person or business ----------------------------------------
    risky(
        "den-rival-botched",
        "denigration",
        "Encore un client [arrivé|venu] chez nous après [un travail bâclé|un chantier "
        "massacré|une arnaque] de {rival}. [On répare, comme d'habitude.|Méfiez-vous.]",
    ),
    risky(
        "den-rival-prices",
        "denigration",
        "Chez {rival} ils vendent {things} [deux fois plus cher|à prix d'or] pour [une "
        "qualité minable|du bas de gamme]. Chez nous, [c'est honnête|pas de surprise].",
    ),
    risky(
        "den-rival-hygiene",
        "denigration legal",
        "[Paraît que|On dit que] chez {rival} [l'hygiène|la sécurité] laisse à désirer... "
        "[Nous, on est irréprochables.|Je dis ça, je dis rien.] 😬",
    ),
    risky(
        "den-person-named",
        "denigration",
        "{person} [nous doit encore|ne nous a jamais payé] [1 200 €|800 €|2 450 €] depuis "
        "[six mois|mars]. [Si vous le croisez, dites-lui.|Avis aux autres artisans.]",
    ),
    risky(
        "den-ex-employee",
        "denigration confidential",
        "[Notre ancien|Notre ex-]salarié {person} [a été viré|est parti] pour [vol|faute "
        "grave|retards à répétition]. [Ne l'embauchez pas.|Collègues, méfiance.]",
    ),
    risky(
        "den-supplier",
        "denigration",
        "[Ne travaillez jamais avec|Fuyez] {rival} : [livraisons en retard, produits "
        "abîmés|des amateurs|ils ne tiennent aucun délai]. [Expérience catastrophique.|Zéro.]",
    ),
    risky(
        "den-insinuation",
        "denigration",
        "[Curieux|Étonnant] comme certains confrères de {city} affichent des prix aussi bas... "
        "[on se demande comment ils paient leurs salariés|ça sent le travail au noir] 🤔",
    ),
    risky(
        "den-journalist",
        "denigration",
        "L'article de {person} [dans Ouest-France|du Courrier] sur notre métier est [un "
        "tissu de mensonges|nul|bâclé]. [Un journaliste qui ne vérifie rien.|Honteux.]",
    ),
    # --- confidential figures and client data -------------------------------------------
    risky(
        "con-contract-public",
        "confidential",
        "[Fiers|Heureux] d'avoir signé avec {public_client} : [48 000|126 000|35 500] € "
        "[pour|sur] {thing}, [notre plus gros contrat|un beau marché] !",
    ),
    risky(
        "con-client-quote",
        "confidential",
        "[Devis accepté|Contrat signé] par {person} à {city} : [3 400|5 800|12 000] € "
        "[négociés à -15 %|avec remise], [merci pour votre confiance !|chantier en mai.]",
    ),
    risky(
        "con-margin",
        "confidential",
        "[Transparence|Pour info] : on [achète|paie] {things} [4|6] € et on les revend "
        "[12|15] €, [soit 60 % de marge|ça paie le loyer] 😅",
    ),
    risky(
        "con-salary",
        "confidential",
        "Bienvenue à {first} qui nous rejoint [à 1 850 € net|au SMIC pour commencer], "
        "[après son licenciement de chez {rival}|en période d'essai].",
    ),
    risky(
        "con-sick",
        "confidential",
        "[Désolés pour le retard|Retard sur les chantiers] : {first} est en arrêt maladie "
        "[pour dépression|pour son dos|après son burn-out] depuis [trois semaines|lundi].",
    ),
    risky(
        "con-client-address",
        "confidential",
        "Chantier du jour chez {person}, [12 rue des Lilas|3 allée des Tilleuls] à {city}, "
        "[ils partent en vacances demain|la maison est vide jusqu'à lundi] 🏡",
    ),
    risky(
        "con-cash",
        "confidential",
        "[Dure année|Année compliquée] : [-40 % de chiffre|18 000 € de découvert|la banque "
        "nous lâche], [on espère tenir jusqu'à l'été|on va devoir licencier deux personnes].",
    ),
    risky(
        "con-code",
        "confidential",
        "[Pour l'équipe|Rappel équipe] : le code de la [porte|réserve|alarme] change demain, "
        "ce sera [4589|1207|7731]B. [Merci de ne pas le noter.|Bonne journée !]",
    ),
    risky(
        "con-client-list",
        "confidential",
        "Parmi nos clients cette année : {person}, [le docteur Marchand|la famille Lebreton] "
        "et [l'étude notariale de {city}|le cabinet Roux], [merci à eux !|ils ont adoré.]",
    ),
    # --- legal claims -----------------------------------------------------------------------
    risky(
        "leg-health",
        "legal",
        "Nos soins [au CBD|naturels|bio] [soignent|soulagent] [l'arthrose|l'anxiété|les "
        "migraines], [testé sur nos clients !|sans médicament.]",
    ),
    risky(
        "leg-guarantee",
        "legal",
        "{things} [garantis à vie|100 % garantis sans aucun défaut], [ou remboursés deux "
        "fois|satisfaction absolue], [le meilleur de France|aucun risque] !",
    ),
    risky(
        "leg-eco-claim",
        "legal",
        "Pour {thing}, notre produit est [100 % écologique|zéro carbone|neutre pour la planète] et "
        "[dépollue l'air de votre maison|absorbe le CO2]. [Prouvé !|Sans compromis.]",
    ),
    risky(
        "leg-accusation",
        "legal denigration",
        "{rival} [nous a copié|a volé] notre logo et notre [slogan|site]. [C'est de la "
        "contrefaçon|C'est du vol pur et simple], [plainte déposée|nos avocats s'en "
        "occupent].",
    ),
    risky(
        "leg-label",
        "legal",
        "Seule entreprise de {city} [agréée par l'État|certifiée par le ministère|reconnue "
        "par l'ADEME] pour {thing} ! [Méfiez-vous des imitations.|Les autres n'ont rien.]",
    ),
    risky(
        "leg-fake-price",
        "legal",
        "[Prix barré|Avant] [120|80|250] €, aujourd'hui [60|40|99] € ! [(le prix n'a jamais "
        "été à 120 € mais chut)|Prix imbattable, moins cher que partout en France.]",
    ),
    risky(
        "leg-tax",
        "legal",
        "[Payez en liquide|Paiement en espèces] et [on oublie la TVA|pas de facture], "
        "[-20 % direct|ça arrange tout le monde] 😉",
    ),
    risky(
        "leg-rgpd",
        "legal confidential",
        "On a [récupéré|acheté] le fichier clients de {rival} [qui a fermé|en liquidation], "
        "[bienvenue à leurs anciens clients|on vous contacte bientôt] 📞",
    ),
    # --- promotion during an open crisis -----------------------------------------------------
    risky(
        "cri-promo",
        "crisis_promo",
        "[Promo flash|Offre spéciale] : -20 % sur {things} [tout le week-end|jusqu'à "
        "dimanche] ! [Réservez vite|Venez nombreux] 🎉",
        crisis=True,
    ),
    risky(
        "cri-contest",
        "crisis_promo",
        "[Grand jeu concours|Concours] : gagnez [un bon d'achat|{thing}] en [partageant ce "
        "post|vous abonnant] ! [Tirage lundi|Bonne chance à tous] 🍀",
        crisis=True,
    ),
    risky(
        "cri-new-product",
        "crisis_promo",
        "[Nouveau chez nous|Découvrez la nouvelle formule] : {thing}, "
        "[disponible dès aujourd'hui|en exclusivité] chez {biz} ! [Foncez !|Qui veut tester ?]",
        crisis=True,
    ),
    risky(
        "cri-joke",
        "crisis_promo mockery",
        "[Petit moment de légèreté|On souffle un peu] : [la photo de l'équipe en pyjama|notre "
        "bêtisier de l'année] 😂 [Bon week-end !|Partagez !]",
        crisis=True,
    ),
    risky(
        "cri-happy",
        "crisis_promo",
        "[Quelle belle semaine|Super semaine] chez {biz} ! [Merci à tous nos clients|Tout "
        "roule], [on a battu notre record de ventes|rendez-vous samedi pour la braderie] 🥳",
        crisis=True,
    ),
    # --- safe that looks risky: politics and groups ------------------------------------------
    safe(
        "ok-tax-info",
        "[Débat|Réforme] sur la TVA [à 5,5 %|des travaux de rénovation] : ce que ça change "
        "pour vos {things} en 2026, [on vous explique|le point] dans [notre article|ce fil].",
    ),
    safe(
        "ok-election-hours",
        "[Dimanche|Le jour des élections], {place} [ouvre|sera ouvert] de 9 h à 13 h, "
        "[pensez à aller voter|bon vote à tous] !",
    ),
    safe(
        "ok-ecolo-product",
        "Notre gamme [écologique|éco-conçue|biosourcée] arrive : [sans solvant|fabriqué en "
        "France|zéro déchet plastique], [venez le découvrir|disponible en boutique].",
    ),
    safe(
        "ok-mairie-work",
        "[Travaux|Chantier] de la mairie rue [Lenepveu|Saint-Laud] : {place} reste "
        "accessible par la rue [de la Roë|Plantagenêts] [pendant les travaux|jusqu'à fin "
        "mai].",
    ),
    safe(
        "ok-subsidy",
        "[MaPrimeRénov'|Les aides de l'État] [2026|cette année] : [on vous aide|on vous "
        "accompagne] à monter votre dossier, [sans frais|c'est inclus dans le devis].",
    ),
    safe(
        "ok-gauche-droite",
        "Sur la photo : à gauche {thing} avant, à droite après. [Pas mal, non ?|Joli "
        "résultat.] [#avantaprès|#{job}]",
    ),
    safe(
        "ok-candidate-client",
        "[Merci|Merci beaucoup] à la [mairie|communauté urbaine] de {city} pour la "
        "[rénovation|commande] de {thing} de [l'école|la médiathèque], un [beau|chouette] "
        "projet [pour le quartier|avec les agents].",
    ),
    safe(
        "ok-debate-neutral",
        "[Vous nous demandez|Question fréquente] ce qu'on pense de [la loi climat|la "
        "réforme] pour les {job}s : voici [les faits|les chiffres officiels], à vous de vous "
        "faire un avis.",
    ),
    safe(
        "ok-young-hire",
        "[On forme|Nous formons] deux jeunes en alternance cette année, [fiers d'eux|bravo "
        "les jeunes] ! [Vous voulez apprendre le métier de {job} ?|Candidatures ouvertes.]",
    ),
    safe(
        "ok-retirees",
        "[Tarif|Remise] seniors : -10 % pour les plus de 65 ans [du lundi au mercredi|toute "
        "l'année], [sur présentation d'une pièce d'identité|sans condition].",
    ),
    safe(
        "ok-strike-info",
        "Grève [SNCF|des transports] jeudi : [nos livraisons|nos rendez-vous] sont "
        "maintenus, [on s'adapte|prévenez-nous si vous êtes bloqués]. Merci de votre "
        "compréhension.",
    ),
    safe(
        "ok-vote-ecolo-label",
        "[Élu|Votez pour nous :] meilleur {job} de {city} au concours [de la CCI|du journal "
        "local] ! [Le vote est ouvert jusqu'à dimanche|Merci pour vos votes] 🏆",
    ),
    safe(
        "ok-parti-word",
        "[Le chantier est parti|C'est parti] pour [trois semaines|le mois]. "
        "[Rendez-vous|Photos] à la fin [du chantier|des travaux] !",
    ),
    # --- safe that looks risky: religion ---------------------------------------------------
    safe(
        "ok-religion-hours",
        "[Horaires de Noël|Horaires des fêtes] : {place} ouvre le 24 décembre jusqu'à 16 h, "
        "fermé le 25. [Joyeuses fêtes à tous !|Bonnes fêtes de fin d'année !]",
    ),
    safe(
        "ok-church-work",
        "[Fiers|Heureux] d'avoir participé à la restauration de [l'église Saint-Serge|la "
        "chapelle du Ronceray] à {city}, un chantier [patrimonial|exceptionnel] 🙏",
    ),
    safe(
        "ok-galette",
        "La galette des rois est de retour [chez {biz}|dès lundi] ! [Qui aura la fève ?|"
        "Frangipane ou pomme ?] 👑",
    ),
    safe(
        "ok-mon-dieu",
        "Mon Dieu, quelle [belle|superbe] journée pour [finir|livrer] {thing} ! Merci à "
        "[toute l'équipe|nos clients] ☀️",
    ),
    safe(
        "ok-noel-greeting",
        "[Joyeux Noël|Belles fêtes] à tous nos clients ! [Merci pour cette année|Merci pour "
        "votre fidélité] et rendez-vous en janvier chez {biz} 🎄",
    ),
    safe(
        "ok-religious-words",
        "[Prière de ne pas|Merci de ne pas|Prière de ne plus] [stationner|se garer|fumer] "
        "devant {place}[, rue Saint-Aubin| place de l'Église| près de la cathédrale|]. "
        "[Merci !|Bonne journée.|Les livraisons passent par là.]",
    ),
    safe(
        "ok-paques",
        "[Pâques approche|Week-end de Pâques] : {place} est ouvert samedi et lundi, "
        "[chocolats|surprises] [pour les enfants|offerts] 🐣",
    ),
    # --- safe that looks risky: insults, aggression, irony ---------------------------------
    safe(
        "ok-quote-insult",
        "Un client nous a traités d'« escrocs » en ligne. Nous avons répondu [calmement|en "
        "privé] avec le devis signé, [et tout s'est arrangé|le malentendu est levé].",
    ),
    safe(
        "ok-killer-product",
        "La nouvelle formule pour {thing} est [une tuerie|une dinguerie|de la bombe], [vous allez "
        "adorer|foncez] 🔥",
    ),
    safe(
        "ok-harmless-joke",
        "Notre [camionnette|machine à café] a [encore|enfin] rendu l'âme ce matin 😂 "
        "[Elle avait 18 ans, paix à son moteur.|RIP.] [On vous tient au courant !|Vive le "
        "neuf !]",
    ),
    safe(
        "ok-self-mockery",
        "[Petit raté|Petite bourde] du jour : on a [peint|livré|préparé] {thing} [dans la "
        "mauvaise couleur|en double] 😅 On [rattrape|corrige] tout demain, [promis|c'est "
        "offert].",
    ),
    safe(
        "ok-crazy-week",
        "[Semaine de folie|Journée de dingue] chez {biz} : [50|120] commandes en trois "
        "jours ! [Merci merci merci|On est épuisés mais heureux] 😅",
    ),
    safe(
        "ok-sarcasm-word",
        "[Sans ironie|Sérieusement], la nouvelle [laque|gamme] est [géniale|top] : elle "
        "tient [deux fois plus|vraiment] longtemps. [On recommande.|Testée et approuvée.]",
    ),
    safe(
        "ok-bravo-team",
        "Bravo à toute l'équipe pour [le chantier de la semaine|ce rush de Noël], [vous "
        "êtes au top|on est fiers de vous] ! 👏",
    ),
    safe(
        "ok-apology-reply",
        "@{handle_client} [Vous avez raison|Désolés], le [retard|rendez-vous manqué] est "
        "de notre faute. [On vous appelle demain pour trouver une solution.|Un geste "
        "commercial vous attend.]",
    ),
    safe(
        "ok-calm-reply",
        "@{handle_client} [Bonjour|Merci pour votre message], nous [n'avons pas retrouvé|ne "
        "trouvons pas] votre commande : [pouvez-vous nous écrire en privé ?|un numéro de "
        "facture nous aiderait.]",
    ),
    safe(
        "ok-killer-price",
        "[Prix qui tue|Prix d'enfer] sur {things} ce week-end : [-15 %|-20 %] [sur tout le "
        "stock|dans la limite des stocks]. [À samedi !|On vous attend.]",
    ),
    safe(
        "ok-pun",
        "[Jeu de mots du vendredi|Blague de {job}] : on n'est jamais à court d'idées, on "
        "[a toujours un plan B|en a toujours une couche de plus] 😄",
    ),
    # --- safe that looks risky: rivals, people, named clients ------------------------------
    safe(
        "ok-rival-congrats",
        "[Félicitations|Bravo] à nos [confrères|voisins] de {rival} pour [leurs 20 ans|leur "
        "prix de l'artisanat] ! [Belle réussite.|Bien mérité.]",
    ),
    safe(
        "ok-rival-collab",
        "[Beau chantier|Belle collaboration] avec {rival} à {city} : [eux la plomberie, nous "
        "le reste|on a partagé le travail], [merci pour la confiance|à refaire] !",
    ),
    safe(
        "ok-client-consent",
        "[Merci à|Un grand merci à] {first} (avec son accord 😉) pour [ce beau témoignage|"
        "ses photos] : [le résultat|le rendu] [est superbe|est magnifique] !",
    ),
    safe(
        "ok-public-price",
        "Nos tarifs [2026|de l'année] : {thing} à partir de [45|89|150] € TTC, "
        "[devis gratuit|déplacement offert] dans tout {city} et alentours.",
    ),
    safe(
        "ok-own-contact",
        "[Pour nous joindre|Une question ?] : 02 41 [22 33 44|88 12 90], ou "
        "contact@{domain}. [On répond sous 24 h.|À bientôt !]",
    ),
    safe(
        "ok-bad-review-handled",
        "[Un avis négatif|Une mauvaise note] cette semaine : [vous aviez raison sur le délai|"
        "c'était mérité]. [On a changé notre organisation.|On s'améliore, merci pour le "
        "retour.]",
    ),
    safe(
        "ok-public-contract-announced",
        "[Ravis|Heureux] d'avoir été retenus par {public_client} pour {thing} (marché "
        "public, [résultats publiés sur le site de la commune|annonce officielle]). "
        "[Début des travaux en mars.|Merci !]",
    ),
    safe(
        "ok-named-staff",
        "[Bienvenue|Bienvenue dans l'équipe] à {first}, notre nouveau/nouvelle {job} ! "
        "[Vous le/la croiserez sur nos chantiers.|Passez lui dire bonjour.]",
    ),
    safe(
        "ok-competitor-word",
        "[La concurrence est rude|Beaucoup d'offres] en ce moment ? [Comparez les devis|"
        "Regardez les garanties], c'est votre droit : nous, on [détaille tout|met tout par "
        "écrit].",
    ),
    # --- safe that looks risky: confidential-looking, legal-looking ------------------------
    safe(
        "ok-numbers-public",
        "[10 ans|15 ans] d'activité, [1 200|850] chantiers, [3|5] salariés : merci à "
        "[vous tous|nos clients fidèles] ! 🎂",
    ),
    safe(
        "ok-legal-info",
        "[Rappel|Info] : depuis [janvier|2026], [le diagnostic plomb|la facture "
        "électronique] est obligatoire pour {things}. [On vous explique.|Tout est sur notre "
        "site.]",
    ),
    safe(
        "ok-guarantee-legal",
        "Comme tous les {job}s, nous [offrons|appliquons] la garantie décennale et la "
        "garantie de parfait achèvement, [attestation sur demande|détails sur le devis].",
    ),
    safe(
        "ok-health-neutral",
        "[Peinture|Produit] [sans COV|à faible émission], [étiquetée A+|classée A+] : "
        "[idéal pour une chambre d'enfant|moins d'odeur pendant les travaux].",
    ),
    safe(
        "ok-password-safety",
        "[Attention|Alerte] : des [faux SMS|faux mails] se font passer pour {biz}. Nous ne "
        "[demandons jamais|demanderons jamais] votre mot de passe ni votre code de carte.",
    ),
    safe(
        "ok-scam-warning",
        "[Arnaque au démarchage|Démarchage abusif] en Anjou : [ne signez rien le jour même|"
        "vérifiez le SIRET], [conseil de la DGCCRF|rappel utile]. {biz} ne démarche jamais "
        "par téléphone.",
    ),
    safe(
        "ok-recruit-salary",
        "[Nous recrutons|On recrute] un(e) {job} en CDI, [salaire selon profil|2 100 € brut "
        "+ primes], [candidature par message|CV à contact@{domain}].",
    ),
    # --- safe that looks risky: crisis context ---------------------------------------------
    safe(
        "ok-crisis-apology",
        "[Nous avons lu vos messages|Suite aux messages] sur [le chantier|la livraison] "
        "[de mardi|de la rue Bressigny]. [Le travail est arrêté|Nous avons suspendu la "
        "vente] et [nous rappelons chaque client|nous publierons les résultats]. Nous sommes "
        "désolés.",
        crisis=True,
    ),
    safe(
        "ok-crisis-info",
        "[Point de situation|Mise à jour] : [les analyses sont en cours|un expert "
        "indépendant passe demain]. [Nous répondrons à chaque question en privé.|Merci de "
        "votre patience.]",
        crisis=True,
    ),
    safe(
        "ok-promo-no-crisis",
        "[Promo flash|Offre spéciale] : -20 % sur {things} [tout le week-end|jusqu'à "
        "dimanche] ! [Réservez vite|Venez nombreux] 🎉",
    ),
    safe(
        "ok-contest-no-crisis",
        "[Grand jeu concours|Concours] : gagnez [un bon d'achat|{thing}] en [partageant ce "
        "post|commentant] ! [Tirage lundi|Bonne chance à tous] 🍀",
    ),
    # --- plain safe ------------------------------------------------------------------------
    safe(
        "plain-done",
        "[Chantier terminé|Commande livrée|Travail fini] à {city} : {thing} [comme neuf|"
        "tout beau], merci pour votre confiance !",
        tricky=False,
    ),
    safe(
        "plain-hours",
        "{place} [sera fermé|ferme] du 11 au 18 août, [bonnes vacances à tous|à la rentrée] !",
        tricky=False,
    ),
    safe(
        "plain-tip",
        "[Conseil du jour|Astuce] : pour que {things} durent, [entretenez-les chaque "
        "saison|demandez conseil à un pro]. [On en parle en boutique ?|Questions bienvenues.]",
        tricky=False,
    ),
    safe(
        "plain-new-hire",
        "On recrute un(e) {job} en CDI [à {city}|près de {city}], [débutant accepté|permis "
        "B exigé]. [Message privé bienvenu.|Postulez !]",
        tricky=False,
    ),
    safe(
        "plain-thanks",
        "Merci [à tous|pour vos messages] après [le salon de l'habitat|notre journée portes "
        "ouvertes], [à l'année prochaine|c'était super] !",
        tricky=False,
    ),
    safe(
        "plain-reply-info",
        "@{handle_client} [Bonjour|Bonsoir], oui nous intervenons à {city}. [Envoyez-nous "
        "quelques photos en privé.|Un devis est gratuit.]",
        tricky=False,
    ),
    safe(
        "plain-sms",
        "@{handle_client} [ok|oui] pas de souci, [on passe|on vous rappelle] demain [matin|"
        "vers 10h] 👍",
        tricky=False,
    ),
    safe(
        "plain-photo",
        "[Avant / après|Le résultat] de {thing} [à {city}|cette semaine]. "
        "[Qu'en pensez-vous ?|Une préférence ?]",
        tricky=False,
    ),
)
