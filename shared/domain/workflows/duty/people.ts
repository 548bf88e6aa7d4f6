/** Someone named on a duty record, by username (for routing) and display name (for people). */
export interface Person {
  username: string;
  displayName: string;
}
