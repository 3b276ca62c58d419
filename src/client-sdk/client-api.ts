/**
 * @module The typed operations of the protocol as methods, one per entry of src/protocol/operations.ts.
 * Each is a thin call of request(); the connection machinery lives in tandem-client.ts.
 */
import type { Availability } from '../protocol/model.js';
import type { OperationKey, PayloadOf } from '../protocol/operations/index.js';
import { ClientEmitter } from './client-emitter.js';
import type { TandemClientError } from './client-errors.js';
import type {
  ConferenceCreated,
  ConferenceInvited,
  ConferenceJoined,
  ContactList,
  ContentData,
  ContentList,
  DirectoryPage,
  EmptyResponse,
  ImSession,
  MeetingList,
  PingResponse,
  PresenceStates,
  ResponseOf,
  SentAt,
  Settings,
} from './client-types.js';
import type { Contact, ContentItem, Meeting, PresenceState } from '../protocol/model.js';
import { PresenceSubscriptions } from './presence-subscriptions.js';

export abstract class ClientApi extends ClientEmitter {
  /** Remembered so that every later sign-in subscribes again (the server forgets with the endpoint). */
  protected readonly subscriptions = new PresenceSubscriptions();

  /** Sends one operation and resolves with its response payload; rejects with TandemClientError. */
  abstract request<K extends OperationKey>(key: K, payload: PayloadOf<K>): Promise<ResponseOf<K>>;

  /** The users whose presence this client subscribed to (and re-subscribes after each sign-in). */
  presenceSubscriptions(): string[] {
    return this.subscriptions.list();
  }

  publishPresence(availability: Availability, note?: string): Promise<PresenceState> {
    return this.request('presencePublish', { availability, note });
  }

  /**
   * Subscribes and remembers the users first: a subscription that fails for a retryable reason (not
   * connected, connection lost) is still made on the next sign-in; a refused one is forgotten.
   */
  async subscribePresence(users: readonly string[]): Promise<PresenceStates> {
    const added = this.subscriptions.add(users);
    try {
      const answer = await this.request('presenceSubscribe', { users: [...users] });
      // A refused user is forgotten: it would be refused again at every sign-in.
      this.subscriptions.remove((answer.refused ?? []).map((r) => r.sip));
      return answer;
    } catch (err) {
      if (!(err as TandemClientError).retryable) this.subscriptions.remove(added);
      throw err;
    }
  }

  unsubscribePresence(users: readonly string[]): Promise<EmptyResponse> {
    this.subscriptions.remove(users);
    return this.request('presenceUnsubscribe', { users: [...users] });
  }

  listContacts(): Promise<ContactList> {
    return this.request('contactsList', {});
  }
  addContact(sip: string, group?: string): Promise<Contact> {
    return this.request('contactsAdd', { sip, group });
  }
  removeContact(sip: string): Promise<EmptyResponse> {
    return this.request('contactsRemove', { sip });
  }
  moveContact(sip: string, group: string): Promise<Contact> {
    return this.request('contactsMove', { sip, group });
  }
  addGroup(name: string): Promise<EmptyResponse> {
    return this.request('groupsAdd', { name });
  }
  renameGroup(name: string, newName: string): Promise<EmptyResponse> {
    return this.request('groupsRename', { name, newName });
  }
  removeGroup(name: string): Promise<EmptyResponse> {
    return this.request('groupsRemove', { name });
  }

  inviteIm(to: string, text?: string): Promise<ImSession> {
    return this.request('imInvite', { to, text });
  }
  acceptIm(sessionId: string): Promise<EmptyResponse> {
    return this.request('imAccept', { sessionId });
  }
  declineIm(sessionId: string): Promise<EmptyResponse> {
    return this.request('imDecline', { sessionId });
  }
  sendIm(sessionId: string, text: string): Promise<SentAt> {
    return this.request('imSend', { sessionId, text });
  }
  typing(sessionId: string): Promise<EmptyResponse> {
    return this.request('imTyping', { sessionId });
  }
  endIm(sessionId: string): Promise<EmptyResponse> {
    return this.request('imEnd', { sessionId });
  }

  createConference(subject?: string): Promise<ConferenceCreated> {
    return this.request('confCreate', { subject });
  }
  inviteToConference(confId: string, users: readonly string[]): Promise<ConferenceInvited> {
    return this.request('confInvite', { confId, users: [...users] });
  }
  joinConference(confId: string): Promise<ConferenceJoined> {
    return this.request('confJoin', { confId });
  }
  leaveConference(confId: string): Promise<EmptyResponse> {
    return this.request('confLeave', { confId });
  }
  endConference(confId: string): Promise<EmptyResponse> {
    return this.request('confEnd', { confId });
  }
  sendConferenceMessage(confId: string, text: string): Promise<SentAt> {
    return this.request('confMessage', { confId, text });
  }

  scheduleMeeting(meeting: PayloadOf<'meetingSchedule'>): Promise<Meeting> {
    return this.request('meetingSchedule', meeting);
  }
  updateMeeting(change: PayloadOf<'meetingUpdate'>): Promise<Meeting> {
    return this.request('meetingUpdate', change);
  }
  cancelMeeting(meetingId: string): Promise<EmptyResponse> {
    return this.request('meetingCancel', { meetingId });
  }
  listMeetings(): Promise<MeetingList> {
    return this.request('meetingList', {});
  }

  uploadContent(content: PayloadOf<'contentUpload'>): Promise<ContentItem> {
    return this.request('contentUpload', content);
  }
  listContent(confId: string): Promise<ContentList> {
    return this.request('contentList', { confId });
  }
  getContent(confId: string, contentId: string): Promise<ContentData> {
    return this.request('contentGet', { confId, contentId });
  }
  deleteContent(confId: string, contentId: string): Promise<EmptyResponse> {
    return this.request('contentDelete', { confId, contentId });
  }

  getSettings(): Promise<Settings> {
    return this.request('settingsGet', {});
  }
  /** A null value deletes the setting. */
  setSetting(key: string, value: string | null): Promise<EmptyResponse> {
    return this.request('settingsSet', { key, value });
  }

  searchDirectory(query: string, page?: number, pageSize?: number): Promise<DirectoryPage> {
    return this.request('directorySearch', { query, page, pageSize });
  }

  ping(): Promise<PingResponse> {
    return this.request('ping', {});
  }
  /** Signs this endpoint out; the server closes the connection and the client does not reconnect. */
  signOut(): Promise<EmptyResponse> {
    return this.request('signOut', {});
  }
}
