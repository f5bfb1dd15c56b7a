/*
 * While nbgrader's Validate runs for more than a few seconds, a JupyterLab notification says
 * which cell it is running and for how long; it goes away when the validation ends.
 *
 * nbgrader's Validate button posts to <base>/assignments/validate. This plugin wraps
 * window.fetch (which JupyterLab's ServerConnection uses for every request) to notice that
 * request; once it has been pending for SHOW_AFTER ms, it asks the course's server extension
 * (autograder/validate_server.py, GET <base>/nndl/validate/progress?path=...) every POLL_EVERY
 * ms what the validation is doing, and shows its message. A fast validation shows nothing.
 */
import { Notification } from '@jupyterlab/apputils';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

const SHOW_AFTER = 3000;
const POLL_EVERY = 1000;
const VALIDATE = 'assignments/validate';
const PROGRESS = 'nndl/validate/progress';

/** The notebook path of a POST to <base>/assignments/validate ('' when it is in the body),
 * or null for any other request. */
function validatedPath(input, init) {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : null;
  const method = (init && init.method) || (request ? request.method : 'GET');
  if (String(method).toUpperCase() !== 'POST') {
    return null;
  }
  let url;
  try {
    url = new URL(request ? request.url : String(input), window.location.href);
  } catch (error) {
    return null;
  }
  const validate = new URL(URLExt.join(PageConfig.getBaseUrl(), VALIDATE), window.location.href);
  if (url.origin !== validate.origin || url.pathname !== validate.pathname) {
    return null;
  }
  return url.searchParams.get('path') || '';
}

/** What the server says about the validation of `path` (null when it knows none). */
async function progress(path) {
  const settings = ServerConnection.makeSettings();
  let url = URLExt.join(settings.baseUrl, PROGRESS);
  if (path) {
    url += '?path=' + encodeURIComponent(path);
  }
  const response = await ServerConnection.makeRequest(url, {}, settings);
  if (!response.ok) {
    return null;
  }
  const data = await response.json();
  return (data.validations || [])[0] || null;
}

/** Show the progress of the validation of `path` while `pending` has not settled. */
function follow(path, pending) {
  let done = false;
  let id = null;
  let timer = null;

  const poll = async () => {
    let validation = null;
    try {
      validation = await progress(path);
    } catch (error) {
      console.debug('nndl-validate-progress:', error);
    }
    if (done) {
      return;
    }
    if (validation && validation.message) {
      const options = { autoClose: false };
      if (id === null) {
        id = Notification.emit(validation.message, 'in-progress', options);
      } else {
        Notification.update({ id, message: validation.message, type: 'in-progress', ...options });
      }
    }
    timer = setTimeout(poll, POLL_EVERY);
  };

  const finish = () => {
    done = true;
    clearTimeout(timer);
    if (id !== null) {
      Notification.dismiss(id);
    }
  };
  timer = setTimeout(poll, SHOW_AFTER);
  pending.then(finish, finish);
}

const plugin = {
  id: 'nndl-validate-progress:plugin',
  description: "Shows which cell nbgrader's Validate is running when it takes a while.",
  autoStart: true,
  activate: () => {
    const original = window.fetch;
    window.fetch = function (input, init) {
      const pending = original.apply(this, arguments);
      const path = validatedPath(input, init);
      if (path !== null) {
        follow(path, pending);
      }
      return pending;
    };
  }
};

export default plugin;
