"""The words of every mail Tandem sends, one dictionary per language (the site's `language` setting).

Templates take `words` and fill the `{placeholders}` with `format`; a language missing a
phrase falls back to English, so a new phrase never breaks a mail.
"""

from .follow_wording import FOLLOW_WORDS

LANGUAGES = ("en", "de", "fr", "es")

WORDS = {
    "en": {
        "anonymous": "Anonymous",
        "subject_held": "[{site}] Held comment by {author} on {post}",
        "subject_new": "[{site}] New comment by {author} on {post}",
        "subject_reply": "[{site}] {author} replied to your comment on {post}",
        "subject_confirm": "[{site}] Please confirm reply notifications on {post}",
        "held_intro": "A comment on {site} is waiting for you.",
        "new_intro": "A new comment on {site}.",
        "post": "Post",
        "author": "Author",
        "website": "Website",
        "held": "Held",
        "in_reply_to": "In reply to {author}:",
        "read_comment": "Read the comment",
        "approve": "Approve",
        "reject": "Reject",
        "spam": "Spam",
        "links_note": "Each link opens a page where one button does it. The links work for 7 days.",
        "answer_moderator": "Or answer this mail: begin with approve, reject or spam to decide, or with heart to "
                            "heart it; any other text approves the comment and is posted as your reply.",
        "subject_moderator_digest": "Your daily digest: {held} held, {unanswered} unanswered",
        "moderator_digest_intro": "This is what waits for you on your blogs today.",
        "digest_held": "Held for moderation",
        "digest_unanswered": "Readers waiting for an answer",
        "digest_more": "More are waiting in the admin.",
        "digest_open_queue": "Open the queue",
        "digest_open_unanswered": "Answer them",
        "digest_why": "You get this mail because you turned on the daily digest in the admin's Unanswered view; "
                      "turn it off there.",
        "reply_intro": "{author} replied to your comment on \u201c{post}\u201d ({site}):",
        "read_and_answer": "Read it and answer",
        "answer_reader": "You can also answer this mail: your text (without the quoted mail) is posted as your reply.",
        "your_comment": "Your comment:",
        "why_reply": "You get this because you asked to be told about replies.",
        "stop": "Unsubscribe from reply notifications",
        "confirm_intro": "Someone, hopefully you, asked {site} to send replies to comments to this address.",
        "confirm_for": "It was asked with this comment on \u201c{post}\u201d:",
        "confirm_action": "Confirm reply notifications",
        "confirm_valid": "The link opens a page with a button; it is valid for {days} days.",
        "confirm_ignore": "If it was not you, ignore this mail: nothing more will come.",
        "subject_signin": "[{site}] Your sign-in link",
        "signin_intro": "Someone, hopefully you, asked to be recognised on {site} in another browser.",
        "signin_action": "Sign in to comment",
        "signin_what": "The link opens the post and fills in your name, e-mail and website there, as on the device "
                       "you commented with before.",
        "signin_valid": "It works once, for {minutes} minutes.",
        "signin_ignore": "If it was not you, ignore this mail: nothing changes.",
    },
    "de": {
        "anonymous": "Anonym",
        "subject_held": "[{site}] Zurückgehaltener Kommentar von {author} zu {post}",
        "subject_new": "[{site}] Neuer Kommentar von {author} zu {post}",
        "subject_reply": "[{site}] {author} hat auf Ihren Kommentar zu {post} geantwortet",
        "subject_confirm": "[{site}] Bitte bestätigen Sie die Benachrichtigung über Antworten zu {post}",
        "held_intro": "Ein Kommentar auf {site} wartet auf Sie.",
        "new_intro": "Ein neuer Kommentar auf {site}.",
        "post": "Beitrag",
        "author": "Autor",
        "website": "Website",
        "held": "Zurückgehalten",
        "in_reply_to": "Als Antwort auf {author}:",
        "read_comment": "Kommentar lesen",
        "approve": "Freigeben",
        "reject": "Ablehnen",
        "spam": "Spam",
        "links_note": "Jeder Link öffnet eine Seite, auf der ein Knopf es erledigt. Die Links gelten 7 Tage.",
        "answer_moderator": "Oder antworten Sie auf diese Mail: Beginnen Sie mit approve, reject oder spam, um zu "
                            "entscheiden, oder mit heart, um ihn mit einem Herz zu markieren; jeder andere Text gibt "
                            "den Kommentar frei und erscheint als Ihre Antwort.",
        "subject_moderator_digest": "Ihre tägliche Übersicht: {held} zurückgehalten, {unanswered} unbeantwortet",
        "moderator_digest_intro": "Das wartet heute auf Ihren Blogs auf Sie.",
        "digest_held": "Zur Freigabe zurückgehalten",
        "digest_unanswered": "Leser, die auf eine Antwort warten",
        "digest_more": "Weitere warten in der Verwaltung.",
        "digest_open_queue": "Warteschlange öffnen",
        "digest_open_unanswered": "Jetzt antworten",
        "digest_why": "Sie erhalten diese Mail, weil Sie die tägliche Übersicht in der Ansicht „Unanswered“ der "
                      "Verwaltung eingeschaltet haben; dort schalten Sie sie auch ab.",
        "reply_intro": "{author} hat auf Ihren Kommentar zu \u201e{post}\u201c ({site}) geantwortet:",
        "read_and_answer": "Lesen und antworten",
        "answer_reader": "Sie können auch auf diese Mail antworten: Ihr Text (ohne die zitierte Mail) erscheint "
                         "als Ihre Antwort.",
        "your_comment": "Ihr Kommentar:",
        "why_reply": "Sie erhalten diese Mail, weil Sie um Nachricht über Antworten gebeten haben.",
        "stop": "Diese Mails abbestellen",
        "confirm_intro": "Jemand, hoffentlich Sie, hat {site} gebeten, Antworten auf Kommentare an diese Adresse "
                         "zu senden.",
        "confirm_for": "Darum gebeten wurde mit diesem Kommentar zu \u201e{post}\u201c:",
        "confirm_action": "Benachrichtigung über Antworten bestätigen",
        "confirm_valid": "Der Link öffnet eine Seite mit einem Knopf; er gilt {days} Tage.",
        "confirm_ignore": "Wenn Sie es nicht waren, ignorieren Sie diese Mail: Es kommt nichts mehr.",
        "subject_signin": "[{site}] Ihr Anmeldelink",
        "signin_intro": "Jemand, hoffentlich Sie, möchte auf {site} in einem anderen Browser wiedererkannt werden.",
        "signin_action": "Anmelden und kommentieren",
        "signin_what": "Der Link öffnet den Beitrag und trägt dort Ihren Namen, Ihre E-Mail und Website ein, wie "
                       "auf dem Gerät, mit dem Sie schon kommentiert haben.",
        "signin_valid": "Er gilt einmal, {minutes} Minuten lang.",
        "signin_ignore": "Wenn Sie es nicht waren, ignorieren Sie diese Mail: Es ändert sich nichts.",
    },
    "fr": {
        "anonymous": "Anonyme",
        "subject_held": "[{site}] Commentaire en attente de {author} sur {post}",
        "subject_new": "[{site}] Nouveau commentaire de {author} sur {post}",
        "subject_reply": "[{site}] {author} a répondu à votre commentaire sur {post}",
        "subject_confirm": "[{site}] Merci de confirmer les avis de réponse sur {post}",
        "held_intro": "Un commentaire sur {site} vous attend.",
        "new_intro": "Un nouveau commentaire sur {site}.",
        "post": "Article",
        "author": "Auteur",
        "website": "Site web",
        "held": "En attente",
        "in_reply_to": "En réponse à {author} :",
        "read_comment": "Lire le commentaire",
        "approve": "Approuver",
        "reject": "Refuser",
        "spam": "Spam",
        "links_note": "Chaque lien ouvre une page où un bouton s\u2019en charge. Les liens sont valables 7 jours.",
        "answer_moderator": "Ou répondez à ce message : commencez par approve, reject ou spam pour décider, ou par "
                            "heart pour lui donner un cœur ; tout autre texte approuve le commentaire et est publié "
                            "comme votre réponse.",
        "subject_moderator_digest": "Votre résumé du jour : {held} en attente, {unanswered} sans réponse",
        "moderator_digest_intro": "Voici ce qui vous attend aujourd\u2019hui sur vos blogs.",
        "digest_held": "En attente de modération",
        "digest_unanswered": "Lecteurs qui attendent une réponse",
        "digest_more": "D\u2019autres attendent dans l\u2019administration.",
        "digest_open_queue": "Ouvrir la file d\u2019attente",
        "digest_open_unanswered": "Leur répondre",
        "digest_why": "Vous recevez ce message car vous avez activé le résumé quotidien dans la vue « Unanswered » "
                      "de l\u2019administration ; désactivez-le au même endroit.",
        "reply_intro": "{author} a répondu à votre commentaire sur « {post} » ({site}) :",
        "read_and_answer": "Lire et répondre",
        "answer_reader": "Vous pouvez aussi répondre à ce message : votre texte (sans le message cité) est publié "
                         "comme votre réponse.",
        "your_comment": "Votre commentaire :",
        "why_reply": "Vous recevez ce message car vous avez demandé à être prévenu des réponses.",
        "stop": "Ne plus recevoir ces messages",
        "confirm_intro": "Quelqu\u2019un, vous sans doute, a demandé à {site} d\u2019envoyer les réponses aux "
                         "commentaires à cette adresse.",
        "confirm_for": "La demande accompagnait ce commentaire sur « {post} » :",
        "confirm_action": "Confirmer les avis de réponse",
        "confirm_valid": "Le lien ouvre une page avec un bouton ; il est valable {days} jours.",
        "confirm_ignore": "Si ce n\u2019était pas vous, ignorez ce message : vous ne recevrez rien d\u2019autre.",
        "subject_signin": "[{site}] Votre lien de connexion",
        "signin_intro": "Quelqu\u2019un, vous sans doute, a demandé à être reconnu sur {site} dans un autre "
                        "navigateur.",
        "signin_action": "Se connecter pour commenter",
        "signin_what": "Le lien ouvre l\u2019article et y remplit votre nom, votre e-mail et votre site, comme sur "
                       "l\u2019appareil avec lequel vous avez déjà commenté.",
        "signin_valid": "Il fonctionne une fois, pendant {minutes} minutes.",
        "signin_ignore": "Si ce n\u2019était pas vous, ignorez ce message : rien ne change.",
    },
    "es": {
        "anonymous": "Anónimo",
        "subject_held": "[{site}] Comentario retenido de {author} en {post}",
        "subject_new": "[{site}] Nuevo comentario de {author} en {post}",
        "subject_reply": "[{site}] {author} respondió a tu comentario en {post}",
        "subject_confirm": "[{site}] Confirma los avisos de respuestas en {post}",
        "held_intro": "Un comentario en {site} te está esperando.",
        "new_intro": "Un nuevo comentario en {site}.",
        "post": "Entrada",
        "author": "Autor",
        "website": "Sitio web",
        "held": "Retenido",
        "in_reply_to": "En respuesta a {author}:",
        "read_comment": "Leer el comentario",
        "approve": "Aprobar",
        "reject": "Rechazar",
        "spam": "Spam",
        "links_note": "Cada enlace abre una página donde un botón lo hace. Los enlaces valen 7 días.",
        "answer_moderator": "O responde a este correo: empieza con approve, reject o spam para decidir, o con heart "
                            "para darle un corazón; cualquier otro texto aprueba el comentario y se publica como tu "
                            "respuesta.",
        "subject_moderator_digest": "Tu resumen diario: {held} retenidos, {unanswered} sin respuesta",
        "moderator_digest_intro": "Esto es lo que te espera hoy en tus blogs.",
        "digest_held": "Retenidos para moderación",
        "digest_unanswered": "Lectores que esperan una respuesta",
        "digest_more": "Hay más esperando en la administración.",
        "digest_open_queue": "Abrir la cola",
        "digest_open_unanswered": "Responderles",
        "digest_why": "Recibes este correo porque activaste el resumen diario en la vista «Unanswered» de la "
                      "administración; desactívalo allí mismo.",
        "reply_intro": "{author} respondió a tu comentario en «{post}» ({site}):",
        "read_and_answer": "Leer y responder",
        "answer_reader": "También puedes responder a este correo: tu texto (sin el correo citado) se publica como "
                         "tu respuesta.",
        "your_comment": "Tu comentario:",
        "why_reply": "Recibes esto porque pediste que te avisáramos de las respuestas.",
        "stop": "Dejar de recibir estos correos",
        "confirm_intro": "Alguien, seguramente tú, pidió a {site} que enviara a esta dirección las respuestas a "
                         "sus comentarios.",
        "confirm_for": "Lo pidió con este comentario en «{post}»:",
        "confirm_action": "Confirmar los avisos de respuestas",
        "confirm_valid": "El enlace abre una página con un botón; vale {days} días.",
        "confirm_ignore": "Si no fuiste tú, ignora este correo: no llegará nada más.",
        "subject_signin": "[{site}] Tu enlace para entrar",
        "signin_intro": "Alguien, seguramente tú, pidió que {site} te reconozca en otro navegador.",
        "signin_action": "Entrar para comentar",
        "signin_what": "El enlace abre la entrada y rellena allí tu nombre, correo y sitio web, como en el "
                       "dispositivo con el que ya comentaste.",
        "signin_valid": "Funciona una vez, durante {minutes} minutos.",
        "signin_ignore": "Si no fuiste tú, ignora este correo: no cambia nada.",
    },
}


class Words(dict):
    """A language's phrases, with English behind any phrase the language lacks."""

    def __missing__(self, key):
        return WORDS["en"][key]


def words_for(language):
    """The phrases of `language` (a site's `language` setting); unknown languages get English."""
    return Words(WORDS.get(language, WORDS["en"]))


def _merge(tables):
    for language, phrases in tables.items():
        WORDS[language].update(phrases)


_merge(FOLLOW_WORDS)  # the followers' phrases, kept in their own file
