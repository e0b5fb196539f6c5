// TODO(this session): replaced by the real screen.
export default function Screen() {
  return <h1>admin/Organizations</h1>;
}
