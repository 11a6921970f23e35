import { useState } from 'react';
import { Icon } from '../common/Icon';

/** In a browser tab, notifications need the user's yes; ask from a button (browsers ignore a prompt nobody clicked for). */
export function NotificationPrompt() {
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  if (!supported || permission !== 'default') return null;
  return (
    <div className="notify-prompt">
      <Icon name="bell" />
      <span>Get a notification when spend crosses a threshold.</span>
      <button type="button" className="btn btn-small" onClick={() => void Notification.requestPermission().then(setPermission)}>
        Turn on
      </button>
    </div>
  );
}
