"""A real IMAP server on loopback for the reply-by-mail tests: Debian's Dovecot (dovecot-imapd) with a
throwaway configuration in a temporary folder, one passwd-file user, a Maildir, and a self-signed
certificate for 127.0.0.1 (clients trust it through SSL_CERT_FILE). `.ci/run` installs Dovecot."""

import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time

import pytest

from .notify_support import free_port

USER, PASSWORD = "comments", "imap test password"
MAIL_UID = 65534  # nobody: Dovecot refuses to open mail as root


class Dovecot:
    """`dovecot -F` with its own config: IMAP with STARTTLS on `port`, IMAPS on `tls_port`."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="tandem-dovecot-")
        os.chmod(self.folder, 0o755)
        self.port, self.tls_port = free_port(), free_port()
        self.cert = os.path.join(self.folder, "cert.pem")
        self.process = None

    def start(self):
        if shutil.which("dovecot") is None:
            raise AssertionError("Dovecot is missing: apt-get install -y dovecot-imapd (.ci/run does)")
        key = os.path.join(self.folder, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", self.cert],
                       check=True, capture_output=True)
        with open(os.path.join(self.folder, "passwd"), "w") as passwd:
            passwd.write(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        home = os.path.join(self.folder, "home")
        os.makedirs(home, mode=0o755)
        os.chown(home, MAIL_UID, MAIL_UID)
        config = os.path.join(self.folder, "dovecot.conf")
        with open(config, "w") as conf:
            conf.write(CONFIG.format(folder=self.folder, cert=self.cert, key=key, home=home, uid=MAIL_UID,
                                     port=self.port, tls_port=self.tls_port))
        self.process = subprocess.Popen(["dovecot", "-F", "-c", config], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.tls_port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise AssertionError(f"Dovecot did not start:\n{self.log()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self):
        try:
            with open(os.path.join(self.folder, "dovecot.log"), errors="replace") as log:
                return log.read()
        except OSError:
            return ""

    def url(self, tls=True):
        return (f"imaps://{USER}:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{self.tls_port}/INBOX" if tls
                else f"imap://{USER}:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{self.port}/INBOX")

    def _client(self):
        context = ssl.create_default_context(cafile=self.cert)
        client = imaplib.IMAP4_SSL("127.0.0.1", self.tls_port, ssl_context=context, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, raw):
        """Put a message in the INBOX, unseen, as the mail provider would."""
        client = self._client()
        try:
            client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
        finally:
            client.logout()

    def unseen(self):
        client = self._client()
        try:
            client.select("INBOX")
            return len(client.search(None, "UNSEEN")[1][0].split())
        finally:
            client.logout()


CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@pytest.fixture(scope="session")
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()
