"""The words of the mails to a thread's followers and of the unsubscribe links every reader mail has.

Kept beside `wording` (which merges them into its tables) so each feature's phrases read together.
"""

FOLLOW_WORDS = {
    "en": {
        "subject_follow": "[{site}] {author} commented on {post}",
        "subject_digest": "[{site}] New comments on {posts}",
        "subject_confirm_follow": "[{site}] Please confirm following {post}",
        "follow_intro": "{author} commented on \u201c{post}\u201d ({site}):",
        "digest_intro": "New comments on {site} since the last mail:",
        "digest_on": "On \u201c{post}\u201d:",
        "digest_by": "{author} wrote:",
        "why_follow": "You get this because you follow this post.",
        "why_digest": "You get this because you follow these posts or asked to be told about replies.",
        "leave_thread": "Stop mail about this post",
        "leave_threads": "Stop mail about these posts",
        "stop_all": "Stop all mail from {site}",
        "confirm_follow_intro": "Someone, hopefully you, asked {site} to mail new comments on \u201c{post}\u201d "
                                "to this address.",
        "confirm_follow_each": "You will get one mail for each new comment.",
        "confirm_follow_daily": "You will get one mail a day with the new comments.",
        "confirm_follow_action": "Confirm following this post",
    },
    "de": {
        "subject_follow": "[{site}] {author} hat {post} kommentiert",
        "subject_digest": "[{site}] Neue Kommentare zu {posts}",
        "subject_confirm_follow": "[{site}] Bitte bestätigen Sie, dass Sie {post} folgen",
        "follow_intro": "{author} hat \u201e{post}\u201c ({site}) kommentiert:",
        "digest_intro": "Neue Kommentare auf {site} seit der letzten Mail:",
        "digest_on": "Zu \u201e{post}\u201c:",
        "digest_by": "{author} schrieb:",
        "why_follow": "Sie erhalten diese Mail, weil Sie diesem Beitrag folgen.",
        "why_digest": "Sie erhalten diese Mail, weil Sie diesen Beiträgen folgen oder um Nachricht über Antworten "
                      "gebeten haben.",
        "leave_thread": "Keine Mails mehr zu diesem Beitrag",
        "leave_threads": "Keine Mails mehr zu diesen Beiträgen",
        "stop_all": "Keine Mails mehr von {site}",
        "confirm_follow_intro": "Jemand, hoffentlich Sie, hat {site} gebeten, neue Kommentare zu \u201e{post}\u201c "
                                "an diese Adresse zu senden.",
        "confirm_follow_each": "Sie erhalten eine Mail für jeden neuen Kommentar.",
        "confirm_follow_daily": "Sie erhalten einmal am Tag eine Mail mit den neuen Kommentaren.",
        "confirm_follow_action": "Folgen bestätigen",
    },
    "fr": {
        "subject_follow": "[{site}] {author} a commenté {post}",
        "subject_digest": "[{site}] Nouveaux commentaires sur {posts}",
        "subject_confirm_follow": "[{site}] Merci de confirmer le suivi de {post}",
        "follow_intro": "{author} a commenté « {post} » ({site}) :",
        "digest_intro": "Nouveaux commentaires sur {site} depuis le dernier message :",
        "digest_on": "Sur « {post} » :",
        "digest_by": "{author} a écrit :",
        "why_follow": "Vous recevez ce message car vous suivez cet article.",
        "why_digest": "Vous recevez ce message car vous suivez ces articles ou avez demandé à être prévenu des "
                      "réponses.",
        "leave_thread": "Ne plus recevoir de messages sur cet article",
        "leave_threads": "Ne plus recevoir de messages sur ces articles",
        "stop_all": "Ne plus rien recevoir de {site}",
        "confirm_follow_intro": "Quelqu\u2019un, vous sans doute, a demandé à {site} d\u2019envoyer à cette adresse "
                                "les nouveaux commentaires sur « {post} ».",
        "confirm_follow_each": "Vous recevrez un message pour chaque nouveau commentaire.",
        "confirm_follow_daily": "Vous recevrez un message par jour avec les nouveaux commentaires.",
        "confirm_follow_action": "Confirmer le suivi de cet article",
    },
    "es": {
        "subject_follow": "[{site}] {author} comentó en {post}",
        "subject_digest": "[{site}] Nuevos comentarios en {posts}",
        "subject_confirm_follow": "[{site}] Confirma que sigues {post}",
        "follow_intro": "{author} comentó en «{post}» ({site}):",
        "digest_intro": "Nuevos comentarios en {site} desde el último correo:",
        "digest_on": "En «{post}»:",
        "digest_by": "{author} escribió:",
        "why_follow": "Recibes esto porque sigues esta entrada.",
        "why_digest": "Recibes esto porque sigues estas entradas o pediste que te avisáramos de las respuestas.",
        "leave_thread": "No recibir más correos sobre esta entrada",
        "leave_threads": "No recibir más correos sobre estas entradas",
        "stop_all": "No recibir ningún correo más de {site}",
        "confirm_follow_intro": "Alguien, seguramente tú, pidió a {site} que enviara a esta dirección los nuevos "
                                "comentarios de «{post}».",
        "confirm_follow_each": "Recibirás un correo por cada comentario nuevo.",
        "confirm_follow_daily": "Recibirás un correo al día con los comentarios nuevos.",
        "confirm_follow_action": "Confirmar que sigues esta entrada",
    },
}
