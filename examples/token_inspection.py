"""Who is this process? The user, groups, administrator status, UAC state and privileges of its token.

Run it with ``python examples/token_inspection.py``. It prints what a script
usually asks before doing something that needs rights: am I an administrator,
am I elevated, at which integrity level do I run. It ends with safehandles'
own leak check and exits 1 if anything it opened is still open.
"""

from __future__ import annotations

import sys

import safehandles as sh


def inspect_token() -> None:
    # QUERY reads the token; DUPLICATE lets is_member() make the impersonation
    # copy that CheckTokenMembership needs (a process token is a primary token).
    access = sh.TokenAccess.QUERY | sh.TokenAccess.DUPLICATE
    with sh.AccessToken.open_process(access=access) as token:
        print(f"user: {token.user} ({token.user.sid})")

        print("groups:")
        for group in token.groups():
            state = "enabled" if group.enabled else "deny-only" if group.deny_only else "disabled"
            print(f"  {group.account!s:45} {state}")

        # The question an installer asks; a UAC-filtered administrator answers False.
        print(f"administrator: {token.is_member(sh.WellKnownSid.ADMINISTRATORS)}")
        print(f"elevated: {token.elevated} (elevation type {token.elevation_type})")
        print(f"integrity level: {token.integrity_level}")  # prints by name: MEDIUM, HIGH...

        # A split (UAC) token has a twin: the elevated one for a limited token and the reverse.
        if token.elevation_type is sh.ElevationType.DEFAULT:
            print("linked token: none (UAC does not split this token)")
        else:
            with token.linked_token() as linked:
                print(f"linked token: {linked.elevation_type}, integrity {linked.integrity_level}")

        enabled = [p.name for p in token.privileges() if p.enabled]
        print(f"enabled privileges: {', '.join(enabled)}")


def main() -> int:
    if sys.platform != "win32":
        print("this example needs Windows (or Windows Python under Wine)")
        return 0
    # safehandles' own leak check: anything left open is listed with where it was created.
    with sh.LeakCheck() as leaks:
        inspect_token()
    print("leak check:", leaks)
    return 0 if leaks.clean else 1


if __name__ == "__main__":
    sys.exit(main())
