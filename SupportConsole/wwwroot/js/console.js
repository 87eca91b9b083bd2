// SupportConsole's own browser code: no third-party script, nothing fetched from elsewhere.
(function () {
  'use strict';

  // The viewer's time zone for the server, which renders times: the IANA name and the current offset ("Asia/Tokyo|540").
  // Written on every page (the sign-in page too), so pages render in the viewer's zone from the first one after sign-in.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    var value = encodeURIComponent(zone + '|' + (-new Date().getTimezoneOffset()));
    if (document.cookie.split('; ').indexOf('sc_tz=' + value) < 0) {
      document.cookie = 'sc_tz=' + value + '; path=/; max-age=31536000; SameSite=Strict';
    }
  } catch (e) {
    // No Intl: times stay in UTC, and say so.
  }

  // Sign-in: after a failed attempt the email typed is back in the form, so only the password needs typing again. It is
  // kept in this tab (sessionStorage), not sent back by the server: the server's answer is the same for every failure,
  // and the email stays out of addresses and logs.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var email = form && form.getAttribute && form.getAttribute('action') === '/account/login' ? form.querySelector('#email') : null;
    if (email) {
      try {
        window.sessionStorage.setItem('sc_signin_email', email.value);
      } catch (e) {
        // No storage (private mode): the email is typed again.
      }
    }
  }, true);

  function restoreSignInEmail() {
    var email = document.getElementById('email');
    if (!email || email.value || !/[?&]error=/.test(window.location.search)) {
      return;
    }
    try {
      var kept = window.sessionStorage.getItem('sc_signin_email');
      if (kept) {
        email.value = kept;
        var password = document.getElementById('password');
        if (password) {
          password.focus();
        }
      }
    } catch (e) {
      // No storage: nothing to restore.
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', restoreSignInEmail);
  } else {
    restoreSignInEmail();
  }

  // "Go back" links use the browser's history when there is one (error pages); the link's address otherwise.
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('[data-history-back]') : null;
    if (link && window.history.length > 1) {
      event.preventDefault();
      event.stopImmediatePropagation();
      window.history.back();
    }
  });

  function typing(target) {
    if (!target) {
      return false;
    }
    var tag = target.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
  }

  var shortcutHandler = null;

  window.supportConsole = {
    // Single-key shortcuts of a page (the ticket page: a, r, e, n, ?): ignored while typing in a field or with a dialog open.
    listenForShortcuts: function (page, keys) {
      window.supportConsole.stopShortcuts();
      shortcutHandler = function (event) {
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
          return;
        }
        if (document.querySelector('.mud-dialog-container')) {
          return;
        }
        if (keys.indexOf(event.key) >= 0) {
          event.preventDefault();
          page.invokeMethodAsync('OnShortcut', event.key);
        }
      };
      document.addEventListener('keydown', shortcutHandler);
      document.documentElement.setAttribute('data-shortcuts', 'on');
    },
    stopShortcuts: function () {
      if (shortcutHandler) {
        document.removeEventListener('keydown', shortcutHandler);
        shortcutHandler = null;
      }
      document.documentElement.removeAttribute('data-shortcuts');
    },
    copyText: function (text) {
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return false; });
      }
      // http on a LAN address is not a secure context: the old way still works there.
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try {
        copied = document.execCommand('copy');
      } catch (e) {
        copied = false;
      }
      document.body.removeChild(area);
      return Promise.resolve(copied);
    },
    focus: function (selector) {
      var element = document.querySelector(selector);
      if (element) {
        element.focus();
      }
    }
  };
})();
