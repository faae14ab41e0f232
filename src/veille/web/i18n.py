"""Interface strings, French first. Templates call t("key")."""

from __future__ import annotations

from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")

MESSAGES: dict[str, dict[Language, str]] = {
    "app.tagline": {"fr": "Votre veille en cinq minutes", "en": "Your listening in five minutes"},
    "nav.home": {"fr": "Aujourd'hui", "en": "Today"},
    "nav.posts": {"fr": "Publications", "en": "Posts"},
    "nav.watches": {"fr": "Veilles", "en": "Watches"},
    "watches.title": {"fr": "Vos veilles", "en": "Your watches"},
    "watches.new": {"fr": "Nouvelle veille", "en": "New watch"},
    "watches.matched": {"fr": "publications retenues", "en": "matched posts"},
    "watches.edit": {"fr": "Modifier", "en": "Edit"},
    "watch.name": {"fr": "Nom", "en": "Name"},
    "watch.kind": {"fr": "Type", "en": "Kind"},
    "watch.description": {"fr": "Description", "en": "Description"},
    "watch.rules": {"fr": "Règles (une par ligne)", "en": "Rules (one per line)"},
    "watch.rules_help": {
        "fr": 'Espace = ET, OR, -exclure, "expression", renov*, #tag, @compte, lang:fr, '
        "-is:retweet … (voir docs/rules.md)",
        "en": 'Space = AND, OR, -exclude, "phrase", renov*, #tag, @account, lang:fr, '
        "-is:retweet … (see docs/rules.md)",
    },
    "watch.preview": {"fr": "Prévisualiser", "en": "Preview"},
    "watch.save": {"fr": "Enregistrer", "en": "Save"},
    "watch.preview_result": {
        "fr": "publications récentes sur {scanned} correspondraient",
        "en": "recent posts out of {scanned} would match",
    },
    "watch.line": {"fr": "Ligne", "en": "Line"},
    "nav.accounts": {"fr": "Comptes", "en": "Accounts"},
    "accounts.title": {"fr": "Comptes connectés", "en": "Connected accounts"},
    "accounts.handle": {"fr": "Compte", "en": "Handle"},
    "accounts.label": {"fr": "Libellé", "en": "Label"},
    "accounts.kind": {"fr": "Usage", "en": "Use"},
    "accounts.kind_company": {"fr": "compte de l'entreprise", "en": "company account"},
    "accounts.kind_personal": {"fr": "compte personnel du dirigeant", "en": "boss's own account"},
    "accounts.state": {"fr": "État", "en": "State"},
    "accounts.limited": {"fr": "Limité jusqu'à", "en": "Rate-limited until"},
    "accounts.error": {"fr": "Dernière erreur", "en": "Last error"},
    "accounts.saved": {"fr": "identifiants chiffrés", "en": "credentials encrypted"},
    "accounts.none": {"fr": "Aucun compte connecté.", "en": "No account connected."},
    "accounts.connect": {"fr": "Connecter un compte", "en": "Connect an account"},
    "accounts.once": {
        "fr": "Les identifiants sont chiffrés à l'enregistrement et ne sont plus jamais affichés.",
        "en": "Credentials are encrypted when saved and never displayed again.",
    },
    "nav.logout": {"fr": "Se déconnecter", "en": "Log out"},
    "nav.language": {"fr": "English", "en": "Français"},
    "login.title": {"fr": "Connexion", "en": "Log in"},
    "login.username": {"fr": "Identifiant", "en": "Username"},
    "login.password": {"fr": "Mot de passe", "en": "Password"},
    "login.submit": {"fr": "Se connecter", "en": "Log in"},
    "login.failed": {
        "fr": "Identifiant ou mot de passe incorrect.",
        "en": "Wrong username or password.",
    },
    "login.throttled": {
        "fr": "Trop de tentatives. Réessayez dans quelques minutes.",
        "en": "Too many attempts. Try again in a few minutes.",
    },
    "login.expired": {
        "fr": "Le formulaire a expiré, merci de réessayer.",
        "en": "The form expired, please try again.",
    },
    "home.title": {"fr": "Aujourd'hui", "en": "Today"},
    "home.mentions": {"fr": "Mentions aujourd'hui", "en": "Mentions today"},
    "home.yesterday": {"fr": "hier", "en": "yesterday"},
    "home.negative": {"fr": "Négatives", "en": "Negative"},
    "home.positive": {"fr": "Positives", "en": "Positive"},
    "home.inbox": {"fr": "À traiter", "en": "To handle"},
    "home.leads": {"fr": "Pistes du jour", "en": "Leads today"},
    "home.todo": {"fr": "À faire aujourd'hui", "en": "To do today"},
    "home.todo_empty": {"fr": "Rien d'urgent. Bonne journée !", "en": "Nothing urgent. Enjoy!"},
    "home.watches": {"fr": "Vos veilles", "en": "Your watches"},
    "home.today": {"fr": "aujourd'hui", "en": "today"},
    "home.week": {"fr": "7 jours", "en": "7 days"},
    "home.share": {"fr": "Part de voix (7 jours)", "en": "Share of voice (7 days)"},
    "home.volume": {"fr": "Volume sur 14 jours", "en": "Volume over 14 days"},
    "home.top": {"fr": "Publications marquantes", "en": "Top posts"},
    "home.no_data": {
        "fr": "Aucune donnée pour l'instant : lancez « veille demo » ou ingérez des posts.",
        "en": "No data yet: run “veille demo” or ingest posts.",
    },
    "posts.title": {"fr": "Publications", "en": "Posts"},
    "posts.search": {"fr": "Rechercher", "en": "Search"},
    "posts.search_placeholder": {
        "fr": 'mots, "expression", -exclu, renov*',
        "en": 'words, "phrase", -excluded, renov*',
    },
    "posts.watch": {"fr": "Veille", "en": "Watch"},
    "posts.sentiment": {"fr": "Tonalité", "en": "Sentiment"},
    "posts.intent": {"fr": "Intention", "en": "Intent"},
    "posts.network": {"fr": "Réseau", "en": "Network"},
    "posts.since": {"fr": "Depuis", "en": "Since"},
    "posts.until": {"fr": "Jusqu'au", "en": "Until"},
    "posts.all": {"fr": "Toutes", "en": "All"},
    "posts.all_posts": {
        "fr": "Inclure les posts hors veilles",
        "en": "Include posts outside watches",
    },
    "posts.filter": {"fr": "Filtrer", "en": "Filter"},
    "posts.count": {"fr": "résultat(s)", "en": "result(s)"},
    "posts.none": {"fr": "Aucune publication ne correspond.", "en": "No post matches."},
    "posts.previous": {"fr": "Précédents", "en": "Previous"},
    "posts.next": {"fr": "Suivants", "en": "Next"},
    "posts.bad_query": {"fr": "Recherche invalide", "en": "Invalid search"},
    "post.thread": {"fr": "Conversation", "en": "Conversation"},
    "post.open": {"fr": "Voir sur le réseau", "en": "Open on the network"},
    "post.followers": {"fr": "abonnés", "en": "followers"},
    "post.back": {"fr": "Retour aux publications", "en": "Back to posts"},
    "sentiment.negative": {"fr": "négatif", "en": "negative"},
    "sentiment.neutral": {"fr": "neutre", "en": "neutral"},
    "sentiment.positive": {"fr": "positif", "en": "positive"},
    "intent.question": {"fr": "question", "en": "question"},
    "intent.complaint": {"fr": "réclamation", "en": "complaint"},
    "intent.praise": {"fr": "éloge", "en": "praise"},
    "intent.lead": {"fr": "piste", "en": "lead"},
    "intent.job": {"fr": "emploi", "en": "job"},
    "intent.crisis": {"fr": "crise", "en": "crisis"},
    "intent.other": {"fr": "autre", "en": "other"},
    "error.not_found": {"fr": "Page introuvable.", "en": "Page not found."},
    "error.forbidden": {"fr": "Action refusée.", "en": "Action refused."},
}


def translate(key: str, lang: Language) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["fr"]
