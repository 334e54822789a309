"""What a command line is: shared by the exercise rule (code blocks) and the inline-command rule (code spans).

A line is a command when it carries a shell prompt (`$ `, `# `, `user@host:~$ `), or its program is a
well-known command-line tool, or it is a lower-case program name followed by options (`-x`, `--long`).
Output lines (`ip_tables 32768 0`, `filename: /lib/...`), configuration lines (`key=value`, `[section]`,
`PASS_MAX_DAYS 30`, crontab entries) and comments are not.
"""

from __future__ import annotations

import re

# Well-known command-line programs (Unix tools, package managers, service managers, cloud and container
# CLIs). A lexicon of the shell's vocabulary, not of any one text: a program not listed here still counts
# when options follow it.
COMMANDS = frozenset("""
alias apt apt-get apt-cache aptitude at atq atrm awk az aws base64 basename bash bg blkid bunzip2 bzip2
cat cd chage chattr chcon chgrp chmod chown chronyc chroot cksum cmp column comm cp cpio crontab curl cut
date dd depmod df dhclient diff dig dmesg dmidecode dnf docker dpkg du dumpe2fs e2fsck echo egrep env
exit export exportfs expr fdisk fg fgrep file find findmnt firewall-cmd free fsck fuser gcloud getenforce
getfacl getsebool git gpasswd grep groupadd groupdel groupmod groups grub2-mkconfig grub-mkconfig gunzip
gzip halt hdparm head helm history host hostname hostnamectl htop id ifconfig ifdown ifup insmod install
ip iptables jobs journalctl kill killall kubectl kubeadm last lastlog less let ln locate logger
loginctl logout ls lsattr lsblk lscpu lsmod lsof lspci lsusb lvcreate lvdisplay lvextend lvreduce
lvremove lvresize lvs man mkdir mkfs mkfs.ext4 mkfs.xfs mkfs.vfat mknod mkswap modinfo modprobe more
mount mv nano netstat newgrp nft nice nl nmcli nmtui nohup nslookup ntpq openssl parted partprobe passwd
paste pgrep ping pkill podman printenv ps pvcreate pvdisplay pvremove pvs pwd reboot renice resize2fs
restorecon rm rmdir rmmod route rpm rsync runlevel scp sed semanage service sestatus setenforce setfacl
setsebool sftp sh shutdown skopeo sleep sort source ss ssh ssh-copy-id ssh-keygen stat su sudo swapoff
swapon sync sysctl systemctl tail tar tee telnet terraform test timedatectl top touch tr traceroute tune2fs
tuned-adm type ulimit umask umount uname uniq unset unzip uptime useradd userdel usermod vgcreate
vgdisplay vgextend vgreduce vgremove vgs vi vim visudo w watch wc wget whereis which who whoami xargs
xfs_growfs xfs_repair xz yum zcat zip zypper ansible ansible-playbook ansible-galaxy ansible-doc
pip pip3 python python3 npm npx node yarn go cargo make cmake gcc java javac mvn gradle conda brew snap
flatpak psql mysql redis-cli mongosh sqlite3 kubectx kind minikube eksctl oc vagrant packer vault consul
nmap tcpdump netcat nc ethtool iw iwconfig arp dig whois mtr ufw auditctl ausearch aureport journalctl
""".split())
# Programs that only look: in a task that changes something they are the author's checks, not the answer.
READ_ONLY = frozenset("cat less more head tail ls ll echo pwd clear history curl wc getenforce sestatus id "
                      "groups who whoami w uptime date df du free lsblk blkid findmnt file stat".split())
READ_ONLY_SUBCOMMANDS = frozenset("status show list ls repolist sources --list-all -l print images ps info get "
                                  "describe top".split())
# Moving about and leaving: steps of a session, never the answer to a task.
NOT_KEY = frozenset("cd pushd popd clear exit logout su ssh".split())
# Choosing where to work (a lab's cluster or context) is a step of the session, not the answer to a task.
_SETUP = re.compile(r"\b(?:config (?:use|set)-context|use-context|sudo -i)\b")
EDITORS = frozenset("vi vim nano emacs gedit".split())

_PROMPT = re.compile(r"^(?:\[[^\]\n]{1,60}\]|[\w.-]+@[\w.-]+(?::[^\s$#]*)?)?\s*[$#%]\s+(?=\S)")
_PS_PROMPT = re.compile(r"^PS [A-Za-z]:\\[^>]*>\s*")
_PROGRAM = re.compile(r"^(?:\./)?[a-z][a-z0-9_.+-]*$")
_PLAIN_PROGRAM = re.compile(r"^[a-z][a-z_-]*[a-z]$")  # no digits: `remoteuser15 -rw,sync ...` is a map line
_OPTION = re.compile(r"^--?[A-Za-z]")
_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")


def strip_prompt(line: str) -> tuple[str, bool]:
    """The line without a shell prompt, and whether it had one (`# ` only counts before a known program)."""
    s = line.strip()
    m = _PS_PROMPT.match(s)
    if m:
        return s[m.end():], True
    m = _PROMPT.match(s)
    if m:
        rest = s[m.end():]
        if m.group(0).strip().endswith("#") and program(rest) not in COMMANDS:
            return s, False  # a comment, not a root prompt
        return rest, True
    return s, False


def program(command: str) -> str:
    """The program a command line runs (past `sudo`), as written ("" for none)."""
    words = command.split()
    while words and words[0] in ("sudo", "time", "nohup", "exec"):
        words = words[1:]
    if not words:
        return ""
    first = words[0]
    return first.rsplit("/", 1)[-1] if first.startswith(("/", "./")) else first


def is_command(text: str, prompted: bool = False) -> bool:
    """Whether `text` (no prompt) reads as a command line rather than output, configuration or prose."""
    words = text.split()
    if not words or text.startswith("#"):
        return False
    name = program(text)
    if not name or not _PROGRAM.match(name) or name.endswith(":") or "=" in words[0]:
        return False
    first = next((w for w in words if w not in ("sudo", "time", "nohup", "exec")), "")
    if first.startswith("/") and "bin/" not in first:
        return False  # `/var/lib/rpm` is a directory, `/usr/bin/rpm` a program
    if prompted or name in COMMANDS:
        return True
    return bool(_PLAIN_PROGRAM.match(name)) and any(_OPTION.match(w) for w in words[1:])


def command_lines(code: str) -> list[tuple[str, str, bool]]:
    """(command, comment just above it, prompted) for each command line of a code block.

    Continuation lines (`\\`) are joined; here-documents and the output lines of a prompted block are left
    out; a comment line right above a command is kept as that command's own instruction."""
    lines = code.split("\n")
    prompted_block = any(strip_prompt(ln)[1] for ln in lines)
    out: list[tuple[str, str, bool]] = []
    comment = ""
    i = 0
    while i < len(lines):
        raw = lines[i]
        while raw.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            raw = raw.rstrip()[:-1] + " " + lines[i].strip()
        i += 1
        text, prompted = strip_prompt(raw)
        text = " ".join(text.split())
        if not text:
            comment = ""
            continue
        if text.startswith("#"):
            comment = text.lstrip("#").strip()
            continue
        heredoc = _HEREDOC.search(text)
        if heredoc:  # the document is data (often a whole script), not commands of its own
            end = heredoc.group(1)
            while i < len(lines) and lines[i].strip() != end:
                i += 1
            i += 1
            comment = ""
            continue
        text = _TRAILING_COMMENT.sub("", text)  # "kubectl get pvc # will show as 'Bound'": the note is not the answer
        if (prompted or not prompted_block) and is_command(text, prompted):
            out.append((text, comment, prompted))
        comment = ""
    return out


_TRAILING_COMMENT = re.compile(r"\s+#\s.*$")


def is_read_only(command: str) -> bool:
    """A command that only shows something (`cat`, `ls`, `... status`, `... -l`)."""
    name = program(command)
    if name in NOT_KEY or _SETUP.search(command):
        return True
    if name in READ_ONLY or name.endswith("display") or name in ("pvs", "vgs", "lvs"):
        return ">" not in command  # `grep x file > out` writes
    words = command.split()
    return any(w in READ_ONLY_SUBCOMMANDS or w.startswith(("list-", "show-", "get-")) for w in words[1:3]) \
        and ">" not in command


def arguments(command: str) -> list[str]:
    """The values a command line names (users, files, hosts, numbers), without its options and operators."""
    values: list[str] = []
    for word in command.split()[1:]:
        word = word.strip("'\"`;,")
        if "=" in word and _OPTION.match(word):
            word = word.split("=", 1)[1]
        if not word or _OPTION.match(word) or word in ("|", ">", ">>", "<", "&&", "||", "{}", "\\;", "&"):
            continue
        values.append(word)
    return values
